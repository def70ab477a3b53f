/**
 * The node agent (spec/MESH.md §7.3): subscribe, receive, apply, acknowledge.
 * @module
 */
export { startNodeAgent, type NodeAgent, type NodeAgentOptions, type NodeAgentStats } from './agent.js';
export { runAgentMain, type AgentMainHooks } from './run.js';
