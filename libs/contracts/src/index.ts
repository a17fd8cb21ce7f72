export * from './revocation';
export * from './profiles';
export * from './errors';
export * from './wire';
