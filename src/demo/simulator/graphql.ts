import {
  GraphQLError,
  Kind,
  execute,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import type { DocumentNode, FragmentDefinitionNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { AggregateLimitError, analyzeOperation, firstLastRule } from "./graphql-limits.js";
import { TypedResolverError, fieldResolver, typeResolver } from "./graphql-resolvers.js";
import type { GraphQLContext } from "./graphql-resolvers.js";
import { loadGitHubSchema, type SchemaVariant } from "./graphql-schema.js";

/*
 * POST /graphql: parse, validate against GitHub's real schema plus its pagination rule, price the query, then
 * execute with the simulator's resolvers. Errors answer like GitHub: HTTP 200 with `{errors:[…]}`.
 */

/** A GraphQL request as far as it can be understood before authentication and faults. */
export interface GraphQLRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** operationName as sent, else the name of the document's single operation, else "" (anonymous). */
  readonly operationName: string;
  readonly document: DocumentNode | undefined;
  readonly syntaxError: GraphQLError | undefined;
  readonly bodyError: string | undefined;
}

/** Parsed documents and their validation errors, by query text: crawlers send the same few queries. */
const documents = new Map<string, { document: DocumentNode | undefined; syntaxError: GraphQLError | undefined }>();
const validations = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
const maxCachedDocuments = 200;

function parseCached(query: string): { document: DocumentNode | undefined; syntaxError: GraphQLError | undefined } {
  let entry = documents.get(query);
  if (!entry) {
    try {
      entry = { document: parse(query), syntaxError: undefined };
    } catch (error) {
      entry = { document: undefined, syntaxError: error instanceof GraphQLError ? error : new GraphQLError(String(error)) };
    }
    if (documents.size >= maxCachedDocuments) documents.clear();
    documents.set(query, entry);
  }
  return entry;
}

/** Reads the JSON body of a GraphQL POST. */
export function readGraphQLRequest(bodyText: string): GraphQLRequest {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const query = typeof fields.query === "string" ? fields.query : "";
  const variables =
    typeof fields.variables === "object" && fields.variables !== null ? (fields.variables as Record<string, unknown>) : {};
  const bodyError = body === undefined ? "Problems parsing JSON" : query === "" ? "A query attribute must be specified and must be a string." : undefined;
  const { document, syntaxError } = query ? parseCached(query) : { document: undefined, syntaxError: undefined };
  let operationName = typeof fields.operationName === "string" ? fields.operationName : "";
  if (!operationName && document) {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length === 1) operationName = operations[0]?.name?.value ?? "";
  }
  return { query, variables, operationName, document, syntaxError, bodyError };
}

/** A request that passed validation and was priced. */
export interface PreparedGraphQL {
  readonly ok: true;
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
  readonly cost: number;
  readonly nodeCount: number;
  readonly dryRun: boolean;
}

export type Preparation = PreparedGraphQL | { readonly ok: false; readonly status: number; readonly body: unknown };

const errorsBody = (errors: readonly GraphQLError[]): { errors: GraphQLFormattedError[] } => ({
  errors: errors.map((e) => e.toJSON()),
});

/** Validates and prices a request; the schema is loaded here, on the first GraphQL request. */
export function prepareGraphQL(request: GraphQLRequest, variant: SchemaVariant = "current"): Preparation {
  if (request.bodyError) {
    return { ok: false, status: 400, body: { message: request.bodyError, documentation_url: "https://docs.github.com/graphql" } };
  }
  if (request.syntaxError) return { ok: false, status: 200, body: errorsBody([request.syntaxError]) };
  const document = request.document;
  if (!document) return { ok: false, status: 200, body: errorsBody([new GraphQLError("No query given.")]) };
  const schema = loadGitHubSchema(variant);
  let bySchema = validations.get(schema);
  if (!bySchema) validations.set(schema, (bySchema = new WeakMap()));
  let errors = bySchema.get(document);
  if (!errors) {
    errors = validate(schema, document, [...specifiedRules, firstLastRule]);
    bySchema.set(document, errors);
  }
  if (errors.length > 0) return { ok: false, status: 200, body: errorsBody(errors) };

  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = request.operationName
    ? operations.find((o) => o.name?.value === request.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) {
    const message = request.operationName
      ? `No operation named "${request.operationName}"`
      : "An operation name is required when the document holds several operations.";
    return { ok: false, status: 200, body: errorsBody([new GraphQLError(message)]) };
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
  if (coerced.errors) return { ok: false, status: 200, body: errorsBody(coerced.errors) };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  try {
    const { cost, nodeCount } = analyzeOperation(schema, operation, fragments, coerced.coerced);
    return {
      ok: true,
      schema,
      document,
      operation,
      variables: request.variables,
      cost,
      nodeCount,
      dryRun: usesDryRun(operation, coerced.coerced),
    };
  } catch (error) {
    if (error instanceof AggregateLimitError) return { ok: false, status: 200, body: errorsBody(error.errors) };
    if (error instanceof GraphQLError) return { ok: false, status: 200, body: errorsBody([error]) };
    throw error;
  }
}

function usesDryRun(operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  return operation.selectionSet.selections.some((s) => {
    if (s.kind !== Kind.FIELD || s.name.value !== "rateLimit") return false;
    const arg = s.arguments?.find((a) => a.name.value === "dryRun");
    if (!arg) return false;
    if (arg.value.kind === Kind.BOOLEAN) return arg.value.value;
    if (arg.value.kind === Kind.VARIABLE) return variables[arg.value.name.value] === true;
    return false;
  });
}

/** Runs a prepared request; resolver errors keep GitHub's top-level `type` (NOT_FOUND, …). */
export async function runGraphQL(prepared: PreparedGraphQL, context: GraphQLContext): Promise<unknown> {
  const result = await execute({
    schema: prepared.schema,
    document: prepared.document,
    operationName: prepared.operation.name?.value ?? null,
    variableValues: prepared.variables,
    contextValue: context,
    rootValue: {},
    fieldResolver,
    typeResolver,
  });
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors && result.errors.length > 0) {
    body.errors = result.errors.map((error) => {
      const formatted: Record<string, unknown> = { ...error.toJSON() };
      if (error.originalError instanceof TypedResolverError) formatted.type = error.originalError.type;
      return formatted;
    });
  }
  return body;
}
