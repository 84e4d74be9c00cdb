-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('admin', 'marketer', 'lifecycle', 'executive');

-- CreateEnum
CREATE TYPE "api_key_scope" AS ENUM ('ingest', 'read');

-- CreateEnum
CREATE TYPE "audit_actor_type" AS ENUM ('user', 'api_key', 'system');

-- CreateEnum
CREATE TYPE "metric_kind" AS ENUM ('proportion', 'mean', 'ratio');

-- CreateEnum
CREATE TYPE "metric_capping" AS ENUM ('none', 'absolute', 'percentile');

-- CreateEnum
CREATE TYPE "revenue_stream" AS ENUM ('upsell', 'cross_sell', 'retention', 'other');

-- CreateEnum
CREATE TYPE "experiment_kind" AS ENUM ('ab', 'holdout');

-- CreateEnum
CREATE TYPE "experiment_status" AS ENUM ('draft', 'running', 'stopped', 'concluded');

-- CreateEnum
CREATE TYPE "stats_engine" AS ENUM ('frequentist', 'sequential', 'bayesian');

-- CreateEnum
CREATE TYPE "experiment_metric_role" AS ENUM ('primary', 'secondary', 'guardrail');

-- CreateEnum
CREATE TYPE "assignment_source" AS ENUM ('server', 'sdk', 'import');

-- CreateEnum
CREATE TYPE "event_type" AS ENUM ('exposure', 'conversion', 'order', 'activity');

-- CreateEnum
CREATE TYPE "import_kind" AS ENUM ('customers', 'orders', 'experiment');

-- CreateEnum
CREATE TYPE "import_status" AS ENUM ('running', 'completed', 'failed');

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "global_holdout_percent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "global_holdout_seed" TEXT NOT NULL,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scope" "api_key_scope" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "actor_type" "audit_actor_type" NOT NULL,
    "actor_id" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "segment" TEXT,
    "acquisition_date" DATE,
    "acquisition_channel" TEXT,
    "plan" TEXT,
    "country" TEXT,
    "timezone" TEXT,
    "traits" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "namespaces" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "namespaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metrics" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "metric_kind" NOT NULL,
    "event_name" TEXT NOT NULL,
    "value_property" TEXT,
    "denominator_event_name" TEXT,
    "denominator_value_property" TEXT,
    "window_days" INTEGER NOT NULL DEFAULT 14,
    "capping" "metric_capping" NOT NULL DEFAULT 'none',
    "cap_value" DOUBLE PRECISION,
    "revenue_stream" "revenue_stream",
    "higher_is_better" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiments" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "experiment_kind" NOT NULL,
    "hypothesis" TEXT NOT NULL DEFAULT '',
    "status" "experiment_status" NOT NULL DEFAULT 'draft',
    "seed" TEXT NOT NULL,
    "hash_version" INTEGER NOT NULL DEFAULT 2,
    "coverage" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "namespace_id" UUID,
    "namespace_range_start" DOUBLE PRECISION,
    "namespace_range_end" DOUBLE PRECISION,
    "targeting" JSONB NOT NULL DEFAULT '[]',
    "engine" "stats_engine" NOT NULL DEFAULT 'frequentist',
    "primary_metric_id" UUID,
    "started_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "concluded_at" TIMESTAMPTZ(3),
    "frozen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment_metrics" (
    "experiment_id" UUID NOT NULL,
    "metric_id" UUID NOT NULL,
    "role" "experiment_metric_role" NOT NULL,

    CONSTRAINT "experiment_metrics_pkey" PRIMARY KEY ("experiment_id","metric_id")
);

-- CreateTable
CREATE TABLE "variants" (
    "id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "is_control" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,

    CONSTRAINT "variants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignments" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "experiment_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "variant_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" "assignment_source" NOT NULL,

    CONSTRAINT "assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "global_holdout_members" (
    "workspace_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "in_holdout" BOOLEAN NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "global_holdout_members_pkey" PRIMARY KEY ("workspace_id","customer_id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "workspace_id" UUID NOT NULL,
    "client_event_id" TEXT NOT NULL,
    "type" "event_type" NOT NULL,
    "name" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "experiment_id" UUID,
    "variant_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "value" DOUBLE PRECISION,
    "amount" DECIMAL(18,4),
    "currency" CHAR(3),
    "revenue_stream" "revenue_stream",
    "properties" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "kind" "import_kind" NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'running',
    "file_name" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_workspace_id_idx" ON "users"("workspace_id");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_workspace_id_idx" ON "api_keys"("workspace_id");

-- CreateIndex
CREATE INDEX "audit_logs_workspace_id_entity_type_entity_id_at_idx" ON "audit_logs"("workspace_id", "entity_type", "entity_id", "at");

-- CreateIndex
CREATE INDEX "audit_logs_workspace_id_at_idx" ON "audit_logs"("workspace_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "customers_workspace_id_external_id_key" ON "customers"("workspace_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "namespaces_workspace_id_key_key" ON "namespaces"("workspace_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "metrics_workspace_id_key_key" ON "metrics"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "experiments_workspace_id_status_idx" ON "experiments"("workspace_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "experiments_workspace_id_key_key" ON "experiments"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "experiment_metrics_metric_id_idx" ON "experiment_metrics"("metric_id");

-- CreateIndex
CREATE UNIQUE INDEX "variants_experiment_id_key_key" ON "variants"("experiment_id", "key");

-- CreateIndex
CREATE INDEX "assignments_customer_id_idx" ON "assignments"("customer_id");

-- CreateIndex
CREATE INDEX "assignments_variant_id_idx" ON "assignments"("variant_id");

-- CreateIndex
CREATE UNIQUE INDEX "assignments_experiment_id_customer_id_key" ON "assignments"("experiment_id", "customer_id");

-- CreateIndex
CREATE INDEX "global_holdout_members_customer_id_idx" ON "global_holdout_members"("customer_id");

-- CreateIndex
CREATE INDEX "events_workspace_id_customer_id_occurred_at_idx" ON "events"("workspace_id", "customer_id", "occurred_at");

-- CreateIndex
CREATE INDEX "events_experiment_id_type_idx" ON "events"("experiment_id", "type");

-- CreateIndex
CREATE INDEX "events_workspace_id_type_name_occurred_at_idx" ON "events"("workspace_id", "type", "name", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_workspace_id_client_event_id_key" ON "events"("workspace_id", "client_event_id");

-- CreateIndex
CREATE INDEX "import_jobs_workspace_id_created_at_idx" ON "import_jobs"("workspace_id", "created_at");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "namespaces" ADD CONSTRAINT "namespaces_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metrics" ADD CONSTRAINT "metrics_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_namespace_id_fkey" FOREIGN KEY ("namespace_id") REFERENCES "namespaces"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_primary_metric_id_fkey" FOREIGN KEY ("primary_metric_id") REFERENCES "metrics"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_metrics" ADD CONSTRAINT "experiment_metrics_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_metrics" ADD CONSTRAINT "experiment_metrics_metric_id_fkey" FOREIGN KEY ("metric_id") REFERENCES "metrics"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "variants" ADD CONSTRAINT "variants_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "global_holdout_members" ADD CONSTRAINT "global_holdout_members_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "global_holdout_members" ADD CONSTRAINT "global_holdout_members_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
