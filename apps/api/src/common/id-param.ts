import { Param, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A path id that is not a UUID cannot name any row: answer 404 instead of letting the database reject it. */
class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw DomainError.notFound('Resource', value);
    return value.toLowerCase();
  }
}

/** `@IdParam() id: string` (or `@IdParam('experimentId')`): a UUID path parameter. */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(name, new UuidParamPipe());
}
