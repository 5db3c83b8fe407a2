export { openStore, findMigrationsDir, type Store, type Db } from "./db.js";
export { readMigrations, migrate, type Migration } from "./migrate.js";
export { startRun, finishRun, latestRun, listRuns, type RunKind, type RunRow } from "./runs.js";
export { saveKey, findKeyBySha256, findKeysByMd5, findKeyById, type KeyFacts, type KeyRow } from "./keys.js";
export {
  saveAccount,
  findAccount,
  listAccounts,
  setMachineUser,
  saveMembership,
  removeUnseenMemberships,
  listMemberships,
  type AccountInput,
  type AccountRow,
  type Relation,
} from "./accounts.js";
export { saveRepository, removeUnseenRepositories, findRepositoryId, type RepositoryInput } from "./repositories.js";
export {
  saveRegistration,
  removeUnseenRegistrations,
  removeRegistrationsOf,
  type RegistrationInput,
  type RegistrationKind,
} from "./registrations.js";
export { replaceSource, type ReplaceSourceInput } from "./pipelines.js";
export { saveBinding, removeBinding, listBindings, type BindingRow } from "./bindings.js";
export { readCachedResponse, saveCachedResponse } from "./http-cache.js";
export { recordEvent, type EventEntity, type EventChange } from "./events.js";
