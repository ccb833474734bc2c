// imagegen-contract: the contract of OpenAI-style image-generation APIs and the tools built on it.
// Subpath exports keep each capability importable on its own: /client, /mock, /conformance.
export * from './client/index.js';
export { startMock, createMockServer, SCENARIOS, SCENARIO_HEADER, type MockOptions, type RunningMock } from './mock/index.js';
export { runConformance, failedChecks, CHECKS, type ConformanceOptions, type ConformanceReport } from './conformance/index.js';
export { startProxy, type ProxyOptions, type RunningProxy } from './proxy/index.js';
export { findModel, allModels, loadProfile, builtInProfiles, specValidator, spec, buildError } from './contract/index.js';
export type { Model, Profile } from './contract/index.js';
