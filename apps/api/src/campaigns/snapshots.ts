import type { ResultSnapshot } from '@liftlab/contracts';

/**
 * Where campaigns read an experiment's latest results snapshot. Provided by the campaigns module on top of the
 * analysis module's AnalysisService; an abstract class so it doubles as the injection token.
 */
export abstract class ResultSnapshots {
  abstract latest(workspaceId: string, experimentId: string): Promise<ResultSnapshot | null>;
}
