import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  OfferCreateSchema,
  OfferListSchema,
  OfferRedemptionRequestSchema,
  OfferRedemptionResultSchema,
  OfferSchema,
  OfferUpdateSchema,
  type Offer,
  type OfferCreate,
  type OfferList,
  type OfferRedemptionRequest,
  type OfferRedemptionResult,
  type OfferUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { OffersService } from './offers.service';

/** Offers attached to win-back touches: the lifecycle team and marketers edit them; executives read them. */
@ApiTags('offers')
@Controller('v1/offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Get()
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'List offers by key' })
  @ApiZodResponse(200, OfferListSchema)
  list(@CurrentActor() actor: Actor): Promise<OfferList> {
    return this.offers.list(actor);
  }

  @Post()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Create a tier upgrade, discount (per-customer codes) or pilot offer' })
  @ApiZodResponse(201, OfferSchema, 'Created')
  create(@CurrentActor() actor: Actor, @ZodBody(OfferCreateSchema) body: OfferCreate): Promise<Offer> {
    return this.offers.create(actor, body);
  }

  @Post('redemptions')
  @HttpCode(200)
  @KeyScopes('ingest')
  @ApiOperation({
    summary: 'Record an offer redemption (by code, or by offer key and customer)',
    description:
      'Stores the redemption and an `offer_redeemed` conversion event. Idempotent: reporting the same ' +
      'redemption again returns it with `duplicate: true`. An expired offer is refused with a 400 naming ' +
      '`code` (or `offerKey`) and the rule `expired`.',
  })
  @ApiZodResponse(200, OfferRedemptionResultSchema)
  redeem(
    @CurrentActor() actor: Actor,
    @ZodBody(OfferRedemptionRequestSchema) body: OfferRedemptionRequest,
  ): Promise<OfferRedemptionResult> {
    return this.offers.redeem(actor, body);
  }

  @Get(':id')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'One offer' })
  @ApiZodResponse(200, OfferSchema)
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<Offer> {
    return this.offers.get(actor, id);
  }

  @Patch(':id')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Edit an offer (fields of its kind only)' })
  @ApiZodResponse(200, OfferSchema)
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @ZodBody(OfferUpdateSchema) body: OfferUpdate,
  ): Promise<Offer> {
    return this.offers.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Delete an offer no touch carries and nobody redeemed' })
  async remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    await this.offers.remove(actor, id);
  }
}
