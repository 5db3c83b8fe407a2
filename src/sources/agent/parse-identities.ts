import { InputError } from "../../errors.js";

/** Message numbers of the agent protocol (draft-miller-ssh-agent §6.1). */
export const SSH_AGENT_FAILURE = 5;
export const SSH_AGENTC_REQUEST_IDENTITIES = 11;
export const SSH_AGENT_IDENTITIES_ANSWER = 12;

/** One identity as the agent lists it: the raw public key (or certificate) blob and its comment. */
export interface AgentIdentity {
  readonly blob: Buffer;
  readonly comment: string;
}

/** The framed REQUEST_IDENTITIES message: uint32 length 1, byte 11. */
export function requestIdentitiesMessage(): Buffer {
  return Buffer.from([0, 0, 0, 1, SSH_AGENTC_REQUEST_IDENTITIES]);
}

/**
 * Parses the body (after the uint32 length) of the agent's reply: byte 12, uint32 n, n × (string blob, string
 * comment). Pure. `where` names the socket in errors.
 * @throws InputError when the agent refused or the reply is malformed.
 */
export function parseIdentitiesAnswer(body: Buffer, where: string): AgentIdentity[] {
  const type = body[0];
  if (type === SSH_AGENT_FAILURE) throw new InputError(`the ssh-agent at ${where} refused to list its identities (it may be locked: ssh-add -X)`);
  if (type !== SSH_AGENT_IDENTITIES_ANSWER) throw new InputError(`the ssh-agent at ${where} answered with message ${type ?? "nothing"}, not an identity list: is it an ssh-agent socket?`);
  let offset = 1;
  const uint32 = (): number => {
    if (offset + 4 > body.length) throw new InputError(`the ssh-agent at ${where} sent a truncated identity list`);
    const value = body.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  const string = (): Buffer => {
    const length = uint32();
    if (offset + length > body.length) throw new InputError(`the ssh-agent at ${where} sent a truncated identity list`);
    const value = body.subarray(offset, offset + length);
    offset += length;
    return Buffer.from(value);
  };
  const count = uint32();
  // Each identity takes at least 8 bytes: a count beyond that is a corrupt reply, not a reason to loop.
  if (count > (body.length - offset) / 8) throw new InputError(`the ssh-agent at ${where} claims ${count} identities in a ${body.length}-byte reply`);
  const identities: AgentIdentity[] = [];
  for (let i = 0; i < count; i++) identities.push({ blob: string(), comment: string().toString("utf8") });
  return identities;
}
