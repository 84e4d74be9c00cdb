/**
 * What signals need from sequences: enroll customers in a sequence now. Kept as a port so the signals module
 * depends on one method, not on the sequences module's internals; signals.module.ts binds it to SequencesService.
 */
export abstract class SequenceEnroller {
  /** Enrolls `customerIds` (customer row ids) in the sequence; returns what the sequence reports. */
  abstract enroll(
    workspaceId: string,
    sequenceId: string,
    customerIds: string[],
    now: Date,
  ): Promise<unknown>;
}
