export type { KeyInfo } from "./key-info.js";
export { keyInfoFromBlob } from "./key-blob.js";
export { isPrivateKeyText, parseKeyMaterial, parseKeyMaterialDetailed } from "./parse-material.js";
export type { ParsedKeyMaterial } from "./parse-material.js";
export { looksLikeFingerprint, parseFingerprint } from "./parse-fingerprint.js";
export { parsePublicKeyLines } from "./parse-public.js";
export { readKeyFile } from "./read-key-file.js";
export type { KeyFileInfo } from "./read-key-file.js";
export { resolveKeyArgument } from "./resolve-key-argument.js";
