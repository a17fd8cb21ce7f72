export * from './revocation';
export * from './profiles';
export * from './errors';
export * from './actors';
export * from './wire';
export * from './community-warnings';
export * from './outbound';
export * from './api-schemas';
