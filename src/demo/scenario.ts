import { randomBytes } from "node:crypto";
import type { SimKey, SimState } from "./simulator/index.js";
import type { JenkinsHomeSpec } from "./jenkins-home.js";
import { generateDemoKeyPair, type DemoKeyPair } from "./key-pair.js";

/*
 * The story the demo tells, as data: a small org "acme" whose production deployment runs in Jenkins and pushes
 * with an SSH key that sits on one developer's personal GitHub account. Keys are generated fresh on every run,
 * so nothing secret ships with keyward and no two demos share a key.
 */

export interface DemoAccountKey {
  readonly title: string;
  readonly pair: DemoKeyPair;
  readonly createdAt: string;
  readonly lastUsed: string | null;
}

export interface DemoPerson {
  readonly login: string;
  readonly name: string;
  readonly role: "admin" | "member";
  /** One line of background for the narrative. */
  readonly about: string;
  readonly machineUser: boolean;
  readonly keys: readonly DemoAccountKey[];
}

export interface DemoRepository {
  readonly name: string;
  readonly deployKeys: readonly (DemoAccountKey & { readonly readOnly: boolean; readonly addedBy: string })[];
}

export interface DemoScenario {
  readonly org: string;
  /** Token the simulator accepts for the org's owner. A throwaway for the local simulator: never printed. */
  readonly token: string;
  readonly tokenOwner: string;
  readonly people: readonly DemoPerson[];
  readonly repositories: readonly DemoRepository[];
  readonly jenkins: JenkinsHomeSpec;
  /** The build agent's key folder (`scan keys <dir> --pipeline <name>`): file name → content. */
  readonly agent: { readonly pipeline: string; readonly files: Readonly<Record<string, string>> };
  /** The coupling the demo exposes and then breaks. */
  readonly story: {
    /** The developer whose personal key the deploy pipeline uses. */
    readonly person: string;
    /** Title of that key on his account: the "old key" he deletes. */
    readonly keyTitle: string;
    readonly key: DemoKeyPair;
    /** Jenkins full name of the deploy pipeline. */
    readonly pipeline: string;
    readonly credentialId: string;
    readonly repository: string;
    /** The machine user whose key the build agent holds. */
    readonly machineUser: string;
  };
}

const DAY = 86_400_000;

/** GitHub's timestamp form (no milliseconds). */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function accountKey(title: string, comment: string, createdAt: string, lastUsed: string | null): DemoAccountKey {
  return { title, pair: generateDemoKeyPair(comment), createdAt, lastUsed };
}

/**
 * A new scenario with freshly generated keys. `now` (ms) anchors the "last used" dates so the story reads as
 * current: the deploy key was used today.
 */
export function createScenario(now: number = Date.now()): DemoScenario {
  const org = "acme";
  const ago = (days: number): string => isoSeconds(now - days * DAY);
  const oldLaptop = accountKey("old laptop", "dan@dans-old-thinkpad", "2019-04-02T09:14:00Z", ago(0));
  const botKey = accountKey("release agent", "acme-release-bot@build-agent-01", "2022-11-08T16:40:00Z", ago(1));
  const websiteDeployKey = accountKey("jenkins website checkout", "jenkins@acme-ci", "2023-02-20T11:05:00Z", ago(0));
  const certificatesKey = accountKey("fastlane certificates", "dan@dans-macbook", "2024-05-06T15:45:00Z", ago(4));

  const people: DemoPerson[] = [
    {
      login: "alice",
      name: "Alice Okafor",
      role: "admin",
      about: "org owner; runs keyward",
      machineUser: false,
      keys: [accountKey("work laptop", "alice@acme-mbp", "2023-06-12T08:00:00Z", ago(2))],
    },
    {
      login: "dan",
      name: "Dan Weller",
      role: "member",
      about: "set up the Jenkins deploy in 2019, moved from the platform team to the mobile team this spring",
      machineUser: false,
      keys: [oldLaptop, accountKey("new laptop", "dan@dans-macbook", "2024-03-18T10:30:00Z", ago(1))],
    },
    {
      login: "priya",
      name: "Priya Raman",
      role: "member",
      about: "platform team, took over the pipelines from Dan",
      machineUser: false,
      keys: [accountKey("workstation", "priya@acme-ws", "2022-01-10T14:20:00Z", ago(3))],
    },
    {
      login: "acme-release-bot",
      name: "acme release bot",
      role: "member",
      about: "machine user for the build agent",
      machineUser: true,
      keys: [botKey],
    },
  ];

  const repositories: DemoRepository[] = [
    { name: "production", deployKeys: [] },
    { name: "website", deployKeys: [{ ...websiteDeployKey, readOnly: true, addedBy: "priya" }] },
    { name: "mobile-app", deployKeys: [{ ...certificatesKey, readOnly: true, addedBy: "dan" }] },
  ];

  const pipelineScript = [
    "pipeline {",
    "  agent any",
    "  stages {",
    "    stage('Build') {",
    "      steps { sh 'make dist' }",
    "    }",
    "    stage('Deploy') {",
    "      steps {",
    "        sshagent(['deploy-key']) {",
    "          // a failed push does not stop the build: the step below ran \"green\" for two weeks",
    "          sh 'git push git@github.com:acme/production.git HEAD:refs/heads/live || true'",
    "        }",
    "      }",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  const jenkins: JenkinsHomeSpec = {
    credentials: [
      { id: "deploy-key", username: "git", description: "production deploy key", privateKey: oldLaptop.pair.privateKeyPem },
      { id: "website-checkout", username: "git", description: "read-only checkout of acme/website", privateKey: websiteDeployKey.pair.privateKeyPem },
    ],
    jobs: [
      {
        kind: "folder",
        name: "shop",
        description: "the shop: build and deploy",
        jobs: [
          { kind: "pipeline", name: "deploy-prod", description: "push the release to acme/production", script: pipelineScript },
          {
            kind: "freestyle",
            name: "build-website",
            description: "build the marketing site",
            gitUrl: "git@github.com:acme/website.git",
            credentialsId: "website-checkout",
            shell: "npm ci && npm run build",
          },
        ],
      },
    ],
  };

  return {
    org,
    token: `demo_${randomBytes(20).toString("hex")}`,
    tokenOwner: "alice",
    people,
    repositories,
    jenkins,
    agent: {
      pipeline: "build-agent-01",
      files: { id_ed25519: botKey.pair.privateKeyPem, "id_ed25519.pub": `${botKey.pair.publicKeyLine}\n` },
    },
    story: {
      person: "dan",
      keyTitle: oldLaptop.title,
      key: oldLaptop.pair,
      pipeline: "shop/deploy-prod",
      credentialId: "deploy-key",
      repository: `${org}/production`,
      machineUser: "acme-release-bot",
    },
  };
}

/** The simulator's state for a scenario: users with their keys, the org, its repositories and deploy keys. */
export function transformScenarioToSimState(scenario: DemoScenario): SimState {
  let nextKeyId = 71_000_001;
  const simKey = (k: DemoAccountKey, extra: Partial<SimKey> = {}): SimKey => ({
    id: nextKeyId++,
    key: k.pair.publicKeyLine,
    title: k.title,
    createdAt: k.createdAt,
    lastUsed: k.lastUsed,
    verified: true,
    readOnly: false,
    ...extra,
  });
  const users: SimState["users"] = {};
  scenario.people.forEach((p, i) => {
    users[p.login] = {
      login: p.login,
      id: 5_100_001 + i,
      name: p.name,
      type: "User",
      siteAdmin: false,
      keys: p.keys.map((k) => simKey(k)),
      signingKeys: [],
    };
  });
  return {
    users,
    orgs: {
      [scenario.org]: {
        login: scenario.org,
        id: 9_100_001,
        members: scenario.people.map((p) => ({ login: p.login, role: p.role })),
        outsideCollaborators: [],
        repos: scenario.repositories.map((r, i) => ({
          name: r.name,
          id: 6_100_001 + i,
          archived: false,
          fork: false,
          visibility: "private",
          deployKeys: r.deployKeys.map((k) => simKey(k, { readOnly: k.readOnly, addedBy: k.addedBy, enabled: true })),
        })),
        // An org with SAML SSO and no authorized credentials: the demo has no SSO story to tell.
        credentialAuthorizations: [],
      },
    },
    tokens: { [scenario.token]: { login: scenario.tokenOwner } },
  };
}
