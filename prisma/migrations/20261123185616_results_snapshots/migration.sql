-- CreateEnum
CREATE TYPE "result_snapshot_kind" AS ENUM ('experiment', 'global_holdout');

-- CreateEnum
CREATE TYPE "result_trigger" AS ENUM ('schedule', 'manual');

-- CreateEnum
CREATE TYPE "result_correction" AS ENUM ('holm', 'bh');

-- CreateTable
CREATE TABLE "result_snapshots" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "kind" "result_snapshot_kind" NOT NULL,
    "experiment_id" UUID,
    "trigger" "result_trigger" NOT NULL,
    "data_until" TIMESTAMPTZ(3) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "result" JSONB NOT NULL,

    CONSTRAINT "result_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "result_settings" (
    "experiment_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "correction" "result_correction" NOT NULL DEFAULT 'holm',
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "cuped" BOOLEAN NOT NULL DEFAULT true,
    "dimensions" TEXT[] DEFAULT ARRAY['segment', 'acquisitionChannel', 'acquisitionCohort', 'plan']::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "result_settings_pkey" PRIMARY KEY ("experiment_id")
);

-- CreateIndex
CREATE INDEX "result_snapshots_workspace_id_kind_experiment_id_computed_a_idx" ON "result_snapshots"("workspace_id", "kind", "experiment_id", "computed_at");

-- CreateIndex
CREATE INDEX "result_settings_workspace_id_idx" ON "result_settings"("workspace_id");
