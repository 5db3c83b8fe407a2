import type { FaultSpec } from "./types.js";

/** What the server knows of a request when it asks whether a fault fires. */
export interface FaultProbe {
  readonly method: string;
  /** URL path without query and without the GHES prefix. */
  readonly path: string;
  /** The GraphQL operationName (or "" for an anonymous operation); undefined for REST. */
  readonly graphqlOperation: string | undefined;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
  seen: number;
}

/** Injected failures: each fires `times` times on matching requests (after `afterRequests` passed), then goes. */
export class FaultBook {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (spec.kind === "status" && (spec.status === undefined || spec.status < 400 || spec.status > 599)) {
      throw new RangeError(`fault kind "status" needs status 400..599, got ${spec.status}`);
    }
    this.faults.push({ spec, remaining: spec.times ?? 1, seen: 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault this request triggers, if any; consumes one of its `times`. */
  take(probe: FaultProbe): FaultSpec | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.spec, probe)) continue;
      fault.seen += 1;
      if (fault.seen <= (fault.spec.afterRequests ?? 0)) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault.spec;
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, probe: FaultProbe): boolean {
  const { method, path, graphql } = spec.match;
  if (method !== undefined && method.toUpperCase() !== probe.method) return false;
  if (graphql !== undefined && graphql !== false) {
    if (probe.graphqlOperation === undefined) return false;
    if (typeof graphql === "string" && graphql !== probe.graphqlOperation) return false;
  } else if (graphql === false && probe.graphqlOperation !== undefined) {
    return false;
  }
  if (path !== undefined) {
    if (typeof path === "string" ? path !== probe.path : !testRegExp(path, probe.path)) return false;
  }
  return true;
}

function testRegExp(pattern: RegExp, value: string): boolean {
  // A /g or /y pattern keeps lastIndex between calls; reset it so every probe is tested from the start.
  pattern.lastIndex = 0;
  return pattern.test(value);
}
