export * from './types';
export * from './hashing';
export * from './targeting';
export * from './evaluate';
export * from './exposures';
export * from './payload';
export * from './client';
