export * from './catalogue.js';
export * from './spec.js';
export * from './validator.js';
export * from './errors.js';
export * from './profiles.js';
export * from './operation-schemas.js';
