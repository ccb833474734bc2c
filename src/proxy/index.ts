export { startProxy, type ProxyOptions, type RunningProxy } from './server.js';
export { checkExchange, checkStreamEvent, type Exchange, type Violation } from './violations.js';
