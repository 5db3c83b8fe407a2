export type {
  FaultSpec,
  SimApp,
  SimCounts,
  SimCredentialAuthorization,
  SimKey,
  SimOrg,
  SimRepo,
  SimState,
  SimUser,
  Simulator,
  SimulatorOptions,
} from "./types.js";
export type { GenerateOrgOptions } from "./generate-org.js";
export { startSimulator } from "./server.js";
export { generateOrgState } from "./generate-org.js";
export { makeEd25519PublicKey } from "./ed25519.js";
