import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/** zod schema → OpenAPI 3.0 schema object (input shape for bodies/queries, output shape for responses). */
export function zodToOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json as SchemaObject;
}

/** Documents a response body from its zod schema: `@ApiZodResponse(200, ExperimentSchema)`. */
export function ApiZodResponse(status: number, schema: z.ZodType, description = 'OK'): MethodDecorator {
  return applyDecorators(ApiResponse({ status, description, schema: zodToOpenApi(schema, 'output') }));
}

export function ApiZodBody(schema: z.ZodType): MethodDecorator {
  return applyDecorators(ApiBody({ schema: zodToOpenApi(schema, 'input') }));
}

/** Documents each top-level key of an object schema as a query parameter. */
export function ApiZodQuery(schema: z.ZodType): MethodDecorator {
  const json = zodToOpenApi(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(properties).map(([name, prop]) =>
      ApiQuery({ name, required: required.has(name), schema: prop }),
    ),
  );
}
