/** What keyward knows of one SSH public key. Never holds private material. */
export interface KeyInfo {
  /** SSH algorithm name of the plain public key: "ssh-ed25519", "ssh-rsa", "sk-ssh-ed25519@openssh.com", … */
  readonly type: string;
  /** Key size as `ssh-keygen -l` prints it (RSA modulus bits, 256 for ed25519, 256/384/521 for ECDSA). */
  readonly bits: number;
  /** `SHA256:<base64 without padding>`, identical to `ssh-keygen -l -E sha256`. */
  readonly sha256: string;
  /** `MD5:aa:bb:…`, identical to `ssh-keygen -l -E md5`. */
  readonly md5: string;
  /** The key's comment where the material carries one in clear, else null. */
  readonly comment: string | null;
  /** `<type> <base64>` of the plain public key (a certificate's underlying key), without comment. */
  readonly publicKey: string;
  /** True when the material was an OpenSSH certificate; the fingerprint is then its plain key's, as ssh-keygen does. */
  readonly certificate?: boolean;
}
