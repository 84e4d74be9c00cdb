export * from './common';
export * from './metrics';
export * from './experiments';
export * from './assignment';
export * from './auth';
export * from './customers';
export * from './events';
export * from './imports';
