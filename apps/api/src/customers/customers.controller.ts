import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CustomerBulkRequestSchema,
  CustomerBulkResultSchema,
  CustomerDetailSchema,
  CustomerListQuerySchema,
  CustomerListSchema,
  ExternalIdSchema,
  type CustomerBulkRequest,
  type CustomerBulkResult,
  type CustomerDetail,
  type CustomerList,
  type CustomerListQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { CustomersService } from './customers.service';

const ExternalIdParam = new ZodPipe(ExternalIdSchema, ['externalId']);

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post('bulk')
  @HttpCode(200)
  @Roles('marketer')
  @KeyScopes('ingest')
  @ApiOperation({
    summary: 'Create or update up to 10 000 customers by externalId',
    description:
      'Omitted fields keep their value, null clears it, traits merge key by key. Each invalid entry is reported ' +
      'with its index, field and rule; the valid entries of the same request are stored.',
  })
  @ApiZodResponse(200, CustomerBulkResultSchema)
  bulk(
    @CurrentActor() actor: Actor,
    @ZodBody(CustomerBulkRequestSchema) body: CustomerBulkRequest,
  ): Promise<CustomerBulkResult> {
    return this.customers.bulkUpsert(actor, body);
  }

  @Get()
  @Roles('marketer', 'lifecycle')
  @ApiOperation({ summary: 'Customers, newest first; `search` matches part of the externalId' })
  @ApiZodResponse(200, CustomerListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(CustomerListQuerySchema) query: CustomerListQuery,
  ): Promise<CustomerList> {
    return this.customers.list(actor, query);
  }

  @Get(':externalId')
  @Roles('marketer', 'lifecycle')
  @ApiOperation({ summary: 'One customer with their experiment assignments and latest events' })
  @ApiZodResponse(200, CustomerDetailSchema)
  get(
    @CurrentActor() actor: Actor,
    @Param('externalId', ExternalIdParam) externalId: string,
  ): Promise<CustomerDetail> {
    return this.customers.get(actor, externalId);
  }
}
