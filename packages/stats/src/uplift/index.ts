export * from './segments';
export * from './qini';
