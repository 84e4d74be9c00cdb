/** Injection token of the secret that keys session ids (SESSION_SECRET, or the generated one under DATA_DIR). */
export const SESSION_SECRET = Symbol.for('liftlab.session-secret');
