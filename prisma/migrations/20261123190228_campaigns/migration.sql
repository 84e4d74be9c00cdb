-- CreateEnum
CREATE TYPE "cost_category" AS ENUM ('technology', 'people', 'content', 'media', 'incentives');

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "program_key" TEXT NOT NULL,
    "experiment_id" UUID NOT NULL,
    "variant_key" TEXT,
    "horizon_months" INTEGER NOT NULL DEFAULT 12,
    "annual_discount_rate" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "margin_upsell" DOUBLE PRECISION NOT NULL,
    "margin_cross_sell" DOUBLE PRECISION NOT NULL,
    "margin_retention" DOUBLE PRECISION NOT NULL,
    "margin_other" DOUBLE PRECISION NOT NULL,
    "acquisition_cost_per_customer" DOUBLE PRECISION,
    "starts_on" DATE,
    "verdict" TEXT,
    "verdict_changed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_costs" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "category" "cost_category" NOT NULL,
    "label" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_costs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_targets" (
    "workspace_id" UUID NOT NULL,
    "program_key" TEXT NOT NULL,
    "target_roi" DOUBLE PRECISION,
    "sector_reference_roi" DOUBLE PRECISION,
    "sector_reference_source" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "program_targets_pkey" PRIMARY KEY ("workspace_id","program_key")
);

-- CreateIndex
CREATE INDEX "campaigns_workspace_id_program_key_idx" ON "campaigns"("workspace_id", "program_key");

-- CreateIndex
CREATE INDEX "campaigns_experiment_id_idx" ON "campaigns"("experiment_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_workspace_id_key_key" ON "campaigns"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "campaign_costs_campaign_id_idx" ON "campaign_costs"("campaign_id");

-- AddForeignKey
ALTER TABLE "campaign_costs" ADD CONSTRAINT "campaign_costs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
