import { GraphQLError, Kind, OperationTypeNode, getArgumentValues, getNamedType, isCompositeType, isInterfaceType, isObjectType } from "graphql";
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ASTVisitor,
} from "graphql";

/*
 * GitHub's node limits and point cost, which the schema itself does not encode:
 * https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * - every connection needs `first` or `last`, 1..100; a call may ask for at most 500,000 nodes;
 * - cost = requests needed to fill every connection (assuming `first`/`last` is reached) / 100, rounded, min 1.
 */
export const maxPageSize = 100;
export const maxNodes = 500_000;

/** A paginated connection field: returns a `…Connection` and takes `first`. */
export function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name.endsWith("Connection") && field.args.some((a) => a.name === "first");
}

function missingBoundaryMessage(name: string): string {
  return `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`;
}

function rangeMessage(name: string, argument: string, value: number): string {
  return value < 1
    ? `\`${argument}\` on the \`${name}\` connection cannot be less than 1 (got ${value}).`
    : `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${maxPageSize} records.`;
}

/**
 * Validation rule: every connection field has `first` or `last`, and literal values are within 1..100.
 * Variable values are checked by `analyzeOperation` once the variables are known.
 */
export function firstLastRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node: FieldNode) {
      const field = context.getFieldDef();
      if (!field || !isConnectionField(field)) return;
      const bounds = (node.arguments ?? []).filter((a) => a.name.value === "first" || a.name.value === "last");
      if (bounds.length === 0) {
        context.reportError(new GraphQLError(missingBoundaryMessage(node.name.value), { nodes: node }));
        return;
      }
      for (const argument of bounds) {
        if (argument.value.kind !== Kind.INT) continue;
        const value = Number(argument.value.value);
        if (value < 1 || value > maxPageSize) {
          context.reportError(new GraphQLError(rangeMessage(node.name.value, argument.name.value, value), { nodes: argument }));
        }
      }
    },
  };
}

export interface OperationCost {
  /** Points: requests / 100, rounded, at least 1. */
  readonly cost: number;
  readonly requests: number;
  readonly nodeCount: number;
}

/**
 * Walks the operation with its coerced variables: enforces 1..100 on variable page sizes and the node limit,
 * and computes the point cost. Throws GraphQLError on a limit breach.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): OperationCost {
  let requests = 0;
  let nodeCount = 0;
  const errors: GraphQLError[] = [];

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) walk(selection.selectionSet, type, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments[name];
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && type && !seen.has(name)) walk(fragment.selectionSet, type, multiplier, new Set([...seen, name]));
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      let childMultiplier = multiplier;
      if (isConnectionField(field)) {
        const args = getArgumentValues(field, selection, variables);
        const first = args.first as number | null | undefined;
        const last = args.last as number | null | undefined;
        const size = first ?? last;
        if (size === null || size === undefined) {
          errors.push(new GraphQLError(missingBoundaryMessage(selection.name.value), { nodes: selection }));
          continue;
        }
        for (const [argument, value] of [
          ["first", first],
          ["last", last],
        ] as const) {
          if (typeof value === "number" && (value < 1 || value > maxPageSize)) {
            errors.push(new GraphQLError(rangeMessage(selection.name.value, argument, value), { nodes: selection }));
          }
        }
        requests += multiplier;
        childMultiplier = multiplier * size;
        nodeCount += childMultiplier;
        if (nodeCount > maxNodes) {
          throw new GraphQLError(
            `By the time this query traverses to the ${selection.name.value} connection, it is requesting up to ${nodeCount.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${maxNodes.toLocaleString("en-US")}.`,
            { nodes: selection },
          );
        }
      }
      const child = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(child)) walk(selection.selectionSet, child, childMultiplier, seen);
    }
  };

  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : null;
  if (root) walk(operation.selectionSet, root, 1, new Set());
  if (errors.length > 0) throw new AggregateLimitError(errors);
  return { cost: Math.max(1, Math.round(requests / 100)), requests, nodeCount };
}

/** Several limit errors found in one walk, answered together. */
export class AggregateLimitError extends Error {
  override name = "AggregateLimitError";
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}
