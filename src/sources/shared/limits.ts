/** No CI config or key file a scanner reads comes near this; larger files are skipped with a warning. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Anchors and aliases beyond this in one YAML file are treated as a resource-exhaustion attempt. */
export const MAX_YAML_ALIASES = 100;

/** Nodes a YAML tree may expand to once aliases and merge keys are resolved. */
export const MAX_YAML_NODES = 200_000;

/** Directory depth a recursive walk descends to. */
export const MAX_WALK_DEPTH = 32;

/** Entries a recursive walk visits before it stops (and warns). */
export const MAX_WALK_ENTRIES = 50_000;
