import { describe, expect, it } from "vitest";
import { ShellScanner } from "../../../src/sources/shared/shell-scan.js";
import type { ShellUse } from "../../../src/sources/shared/shell-scan.js";

function scan(...chunks: string[]): ShellUse<number>[] {
  const scanner = new ShellScanner<number>();
  chunks.forEach((chunk, index) => scanner.add(index, chunk));
  return scanner.finish();
}

function names(uses: ShellUse<number>[]): string[] {
  return uses.map((use) => (use.kind === "ref" ? `${use.how}:${use.ref.kind}:${use.ref.name}` : `${use.how}:path:${use.path}`)).sort();
}

describe("ShellScanner", () => {
  it.each([
    ["echo \"$SSH_PRIVATE_KEY\" | tr -d '\\r' | ssh-add -", ["ssh-add:var:SSH_PRIVATE_KEY"]],
    ["ssh-add <(echo \"${DEPLOY_KEY}\" | base64 -d)", ["ssh-add:var:DEPLOY_KEY"]],
    ["ssh-add - <<< \"${SSH_KEY}\"", ["ssh-add:var:SSH_KEY"]],
    ["chmod 400 \"$SSH_KEY_FILE\" && ssh-add \"$SSH_KEY_FILE\"", ["ssh-add:var:SSH_KEY_FILE"]],
    ["ssh -i $DEPLOY_KEY_PATH -p 2222 $DEPLOY_USER@$DEPLOY_HOST 'uptime'", ["identity-file:var:DEPLOY_KEY_PATH"]],
    ["scp -o StrictHostKeyChecking=no -o IdentityFile=$KEY build.tgz host:/srv", ["identity-file:var:KEY"]],
    ["ssh -vi ~/.ssh/deploy host", ["identity-file:path:~/.ssh/deploy"]],
    ["export GIT_SSH_COMMAND=\"ssh -i $KEY_FILE -o IdentitiesOnly=yes\"", ["ssh-command:var:KEY_FILE"]],
    ["git -c core.sshCommand=\"ssh -i ${BOT_KEY}\" clone git@github.com:acme/x.git", ["ssh-command:var:BOT_KEY"]],
    ["git config --global core.sshCommand 'ssh -i $HOME/.ssh/bot'", ["ssh-command:path:~/.ssh/bot"]],
    ["echo \"${{ secrets.DEPLOY_KEY }}\" > ~/.ssh/id_ed25519", ["key-file-write:expr:secrets.DEPLOY_KEY"]],
    ["ssh-keyscan github.com >> ~/.ssh/known_hosts", []],
    ["echo \"$HOST_KEY\" >> ~/.ssh/known_hosts", []],
    ["ssh-add -l", []],
    ["rsync -az -e \"ssh -i $RSYNC_KEY\" dist/ host:/srv", ["identity-file:var:RSYNC_KEY"].map((x) => x.replace("identity-file", "ssh-command"))],
    ["cat > ~/.ssh/id_rsa <<EOF\n$PRIVATE_KEY\nEOF\nchmod 600 ~/.ssh/id_rsa", ["key-file-write:var:PRIVATE_KEY"]],
  ])("finds the key carrier in %j", (script, expected) => {
    expect(names(scan(script))).toEqual(expected);
  });

  it("follows a key written to a plain file that a later chunk uses as an identity", () => {
    const uses = scan("echo \"$TOKEN\" > notes.txt\nprintf '%s\\n' \"$MACHINE\" > m.txt", "ssh -i m.txt host true");
    expect(names(uses)).toEqual(["key-file-write:var:MACHINE"]);
    expect(uses[0]?.chunk).toBe(0);
  });

  it("resolves a script-local path variable to the file it names", () => {
    const uses = scan("KEY_FILE=$(mktemp)\necho \"$SSH_KEY\" > \"$KEY_FILE\"\nssh -i \"$KEY_FILE\" host true");
    expect(names(uses)).toEqual(["key-file-write:var:SSH_KEY"]);
  });

  it("reports the offset of each reference within the script", () => {
    const script = "mkdir -p ~/.ssh\necho \"$A_KEY\" | ssh-add -";
    const [use] = scan(script);
    expect(use?.kind === "ref" && script.slice(use.ref.offset, use.ref.offset + use.ref.raw.length)).toBe("$A_KEY");
  });
});
