import {
  ArgumentMetadata,
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  ParseUUIDPipe,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { MaxLength } from 'class-validator';
import { TEXT_LIMITS, type ApiErrorDetail, type TextLimitField } from '@klantmonitor/shared/domain';

const UNKNOWN_FIELD_MESSAGE = Symbol('unknownFieldMessage');

/**
 * What a DTO says of a field it does not have (default class-validator's "property x should not
 * exist"), e.g. `@UnknownFieldMessage('is not a field of an answer')`.
 */
export function UnknownFieldMessage(message: string): ClassDecorator {
  return (target) => {
    (target as unknown as Record<symbol, string>)[UNKNOWN_FIELD_MESSAGE] = message;
  };
}

function flatten(errors: ValidationError[], parent = ''): ApiErrorDetail[] {
  return errors.flatMap((e) => {
    // A body that is not an object at all (an array, a number) has no property to name: it is the body.
    const name = /^\d+$/.test(e.property) ? `[${e.property}]` : e.property;
    const field = !e.property ? parent || 'body' : parent ? `${parent}${name.startsWith('[') ? '' : '.'}${name}` : name;
    const unknownField = (e.target?.constructor as unknown as Record<symbol, string> | undefined)?.[
      UNKNOWN_FIELD_MESSAGE
    ];
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message:
        rule === 'unknownValue'
          ? 'must be a JSON object'
          : rule === 'whitelistValidation' && unknownField
            ? unknownField
            : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** A body validated by a DTO is a JSON object: an array or a bare value is refused as `body`. */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (dto && value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
      throw new BadRequestException({
        message: 'body must be a JSON object',
        details: [{ field: 'body', message: 'must be a JSON object' }],
      });
    return super.transform(value, metadata);
  }
}

/** Whitelisting validation: unknown fields and wrong types are 400 with one detail per problem. */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    // The target is kept for the DTO's own unknown-field message; it never leaves the server.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        message: details.length === 1 ? details[0].message : `${details.length} fields are invalid`,
        details,
      });
    },
  });
}

/** Path parameter that must be a UUID: a 400 that names the parameter, never a database error. */
export function uuidParam(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({
        message: `${name} must be a UUID`,
        details: [{ field: name, message: 'must be a UUID' }],
      }),
  });
}

/** A 400 about one field, in the standard shape. */
export function fieldError(field: string, message: string): BadRequestException {
  return new BadRequestException({ message: `${field} ${message}`, details: [{ field, message }] });
}

/**
 * Refuses a query string longer than `max` characters as a 400 on `query`, before the DTO reads it:
 * one long parameter should not cost a parse of thousands of list items. Runs after sign-in and role
 * checks (a controller guard after the global ones), so a stranger still gets 401.
 */
export function QueryLength(max: number): new () => CanActivate {
  class QueryLengthGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const url: string = context.switchToHttp().getRequest<{ url: string }>().url ?? '';
      const at = url.indexOf('?');
      if (at >= 0 && url.length - at - 1 > max) throw fieldError('query', `is longer than ${max} characters`);
      return true;
    }
  }
  return QueryLengthGuard;
}

/**
 * `@TextLimit('email')`: the field's longest text from TEXT_LIMITS (shared with the page), a 400
 * "<field> must be at most N characters" when longer (never cut). Put it above the type check.
 */
export function TextLimit(limit: TextLimitField, field: string = limit): PropertyDecorator {
  const max = TEXT_LIMITS[limit];
  return MaxLength(max, { message: `${field} must be at most ${max} characters` });
}
