-- CreateEnum
CREATE TYPE "sequence_status" AS ENUM ('draft', 'running', 'paused', 'archived');

-- CreateEnum
CREATE TYPE "touch_channel" AS ENUM ('email', 'in_app', 'webhook', 'call_task');

-- CreateEnum
CREATE TYPE "offer_kind" AS ENUM ('tier_upgrade', 'discount', 'pilot');

-- CreateEnum
CREATE TYPE "enrollment_arm" AS ENUM ('treated', 'holdout');

-- CreateEnum
CREATE TYPE "enrollment_status" AS ENUM ('active', 'completed', 'exited', 'holdout');

-- CreateEnum
CREATE TYPE "message_status" AS ENUM ('pending', 'sending', 'sent', 'failed', 'suppressed');

-- CreateEnum
CREATE TYPE "suppression_reason" AS ENUM ('unsubscribe', 'hard_bounce', 'complaint', 'manual');

-- CreateEnum
CREATE TYPE "task_status" AS ENUM ('open', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "signal_kind" AS ENUM ('onboarding_incomplete', 'usage_drop', 'support_tickets', 'spend_spike');

-- CreateEnum
CREATE TYPE "signal_status" AS ENUM ('open', 'resolved');

-- CreateEnum
CREATE TYPE "clv_fit_trigger" AS ENUM ('manual', 'scheduled');

-- CreateEnum
CREATE TYPE "value_threshold_kind" AS ENUM ('quantile', 'absolute');

-- CreateEnum
CREATE TYPE "value_segment" AS ENUM ('vip_ambassador', 'vip_at_risk', 'occasional_potential', 'passive');

-- CreateTable
CREATE TABLE "messaging_settings" (
    "workspace_id" UUID NOT NULL,
    "frequency_cap_count" INTEGER NOT NULL DEFAULT 2,
    "frequency_cap_days" INTEGER NOT NULL DEFAULT 7,
    "quiet_hours_start" TEXT NOT NULL DEFAULT '21:00',
    "quiet_hours_end" TEXT NOT NULL DEFAULT '08:00',
    "default_timezone" TEXT NOT NULL DEFAULT 'UTC',
    "webhook_secret" TEXT NOT NULL,
    "from_address" TEXT NOT NULL DEFAULT 'Liftlab <hello@liftlab.local>',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messaging_settings_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateTable
CREATE TABLE "sequences" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "sequence_status" NOT NULL DEFAULT 'draft',
    "audience" JSONB NOT NULL,
    "holdout_percent" DOUBLE PRECISION NOT NULL DEFAULT 10,
    "max_enrollments_per_run" INTEGER,
    "reentry_days" INTEGER NOT NULL DEFAULT 180,
    "exit_event_types" TEXT[] DEFAULT ARRAY['order', 'activity']::TEXT[],
    "measurement_days" INTEGER NOT NULL DEFAULT 30,
    "experiment_id" UUID,
    "launched_at" TIMESTAMPTZ(3),
    "last_audience_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sequences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence_touches" (
    "id" UUID NOT NULL,
    "sequence_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "delay_days" INTEGER NOT NULL,
    "channel" "touch_channel" NOT NULL,
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "content" JSONB NOT NULL,
    "offer_id" UUID,

    CONSTRAINT "sequence_touches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offers" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "offer_kind" NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "code_prefix" TEXT,
    "valid_days" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer_redemptions" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "enrollment_id" UUID,
    "code" TEXT,
    "redeemed_at" TIMESTAMPTZ(3) NOT NULL,
    "event_id" BIGINT,

    CONSTRAINT "offer_redemptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrollments" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "sequence_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "reentry" INTEGER NOT NULL DEFAULT 0,
    "arm" "enrollment_arm" NOT NULL,
    "status" "enrollment_status" NOT NULL,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "prior_spend" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "days_inactive" INTEGER NOT NULL DEFAULT 0,
    "next_position" INTEGER,
    "next_due_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "exited_at" TIMESTAMPTZ(3),
    "exit_reason" TEXT,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "sequence_id" UUID NOT NULL,
    "enrollment_id" UUID NOT NULL,
    "touch_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "channel" "touch_channel" NOT NULL,
    "content_variant" TEXT,
    "status" "message_status" NOT NULL DEFAULT 'pending',
    "subject" TEXT,
    "body" TEXT,
    "html" TEXT,
    "payload" JSONB,
    "recipient" TEXT,
    "offer_code" TEXT,
    "offer_expires_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "last_error" TEXT,
    "provider_message_id" TEXT,
    "outbox" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "opened_at" TIMESTAMPTZ(3),
    "clicked_at" TIMESTAMPTZ(3),
    "seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "workspace_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "reason" "suppression_reason" NOT NULL,
    "detail" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("workspace_id","customer_id")
);

-- CreateTable
CREATE TABLE "call_tasks" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "message_id" UUID,
    "signal_id" UUID,
    "owner" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "instructions" TEXT NOT NULL DEFAULT '',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "task_status" NOT NULL DEFAULT 'open',
    "outcome" TEXT,
    "notes" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "surveys" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "surveys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" UUID NOT NULL,
    "survey_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "enrollment_id" UUID,
    "answers" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signal_rules" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "signal_kind" NOT NULL,
    "params" JSONB NOT NULL,
    "owner_team" TEXT NOT NULL,
    "sla_hours" INTEGER NOT NULL,
    "intervention" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signal_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_signals" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "rule_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "status" "signal_status" NOT NULL DEFAULT 'open',
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "cleared_at" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',
    "intervention_at" TIMESTAMPTZ(3),
    "intervention" JSONB,

    CONSTRAINT "health_signals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_spend" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "amount" DECIMAL(18,4) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_spend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_value_settings" (
    "workspace_id" UUID NOT NULL,
    "threshold_kind" "value_threshold_kind" NOT NULL DEFAULT 'quantile',
    "clv_quantile" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "clv_amount" DOUBLE PRECISION,
    "alive_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "horizon_months" INTEGER NOT NULL DEFAULT 12,
    "annual_discount_rate" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "holdout_days" INTEGER NOT NULL DEFAULT 90,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_value_settings_pkey" PRIMARY KEY ("workspace_id")
);

-- CreateTable
CREATE TABLE "clv_fits" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "trigger" "clv_fit_trigger" NOT NULL,
    "params" JSONB NOT NULL,
    "log_likelihood" DOUBLE PRECISION NOT NULL,
    "spend_log_likelihood" DOUBLE PRECISION,
    "converged" BOOLEAN NOT NULL,
    "calibration_end" TIMESTAMPTZ(3) NOT NULL,
    "holdout_start" TIMESTAMPTZ(3),
    "calibration" JSONB,
    "thresholds" JSONB NOT NULL,
    "horizon_months" INTEGER NOT NULL,
    "annual_discount_rate" DOUBLE PRECISION NOT NULL,
    "customers" INTEGER NOT NULL,
    "fitted_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "clv_fits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_values" (
    "workspace_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "fit_id" UUID NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recency" DOUBLE PRECISION NOT NULL,
    "age" DOUBLE PRECISION NOT NULL,
    "monetary" DOUBLE PRECISION NOT NULL,
    "predicted_purchases" DOUBLE PRECISION NOT NULL,
    "probability_alive" DOUBLE PRECISION NOT NULL,
    "expected_spend" DOUBLE PRECISION NOT NULL,
    "predicted_clv" DOUBLE PRECISION NOT NULL,
    "segment" "value_segment" NOT NULL,
    "fitted_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_values_pkey" PRIMARY KEY ("workspace_id","customer_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sequences_experiment_id_key" ON "sequences"("experiment_id");

-- CreateIndex
CREATE INDEX "sequences_workspace_id_status_idx" ON "sequences"("workspace_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "sequences_workspace_id_key_key" ON "sequences"("workspace_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "sequence_touches_sequence_id_position_key" ON "sequence_touches"("sequence_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "offers_workspace_id_key_key" ON "offers"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "offer_redemptions_workspace_id_redeemed_at_idx" ON "offer_redemptions"("workspace_id", "redeemed_at");

-- CreateIndex
CREATE UNIQUE INDEX "offer_redemptions_offer_id_customer_id_enrollment_id_key" ON "offer_redemptions"("offer_id", "customer_id", "enrollment_id");

-- CreateIndex
CREATE INDEX "enrollments_status_next_due_at_idx" ON "enrollments"("status", "next_due_at");

-- CreateIndex
CREATE INDEX "enrollments_workspace_id_customer_id_idx" ON "enrollments"("workspace_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "enrollments_sequence_id_customer_id_reentry_key" ON "enrollments"("sequence_id", "customer_id", "reentry");

-- CreateIndex
CREATE INDEX "messages_status_next_attempt_at_idx" ON "messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "messages_workspace_id_customer_id_sent_at_idx" ON "messages"("workspace_id", "customer_id", "sent_at");

-- CreateIndex
CREATE INDEX "messages_workspace_id_channel_created_at_idx" ON "messages"("workspace_id", "channel", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_enrollment_id_touch_id_key" ON "messages"("enrollment_id", "touch_id");

-- CreateIndex
CREATE UNIQUE INDEX "call_tasks_message_id_key" ON "call_tasks"("message_id");

-- CreateIndex
CREATE UNIQUE INDEX "call_tasks_signal_id_key" ON "call_tasks"("signal_id");

-- CreateIndex
CREATE INDEX "call_tasks_workspace_id_status_due_at_idx" ON "call_tasks"("workspace_id", "status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "surveys_workspace_id_key_key" ON "surveys"("workspace_id", "key");

-- CreateIndex
CREATE UNIQUE INDEX "survey_responses_survey_id_customer_id_enrollment_id_key" ON "survey_responses"("survey_id", "customer_id", "enrollment_id");

-- CreateIndex
CREATE UNIQUE INDEX "signal_rules_workspace_id_key_key" ON "signal_rules"("workspace_id", "key");

-- CreateIndex
CREATE INDEX "health_signals_workspace_id_status_due_at_idx" ON "health_signals"("workspace_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "health_signals_rule_id_customer_id_status_idx" ON "health_signals"("rule_id", "customer_id", "status");

-- CreateIndex
CREATE INDEX "channel_spend_workspace_id_month_idx" ON "channel_spend"("workspace_id", "month");

-- CreateIndex
CREATE UNIQUE INDEX "channel_spend_workspace_id_channel_month_key" ON "channel_spend"("workspace_id", "channel", "month");

-- CreateIndex
CREATE INDEX "clv_fits_workspace_id_fitted_at_idx" ON "clv_fits"("workspace_id", "fitted_at");

-- CreateIndex
CREATE INDEX "customer_values_workspace_id_segment_predicted_clv_idx" ON "customer_values"("workspace_id", "segment", "predicted_clv");

-- AddForeignKey
ALTER TABLE "sequence_touches" ADD CONSTRAINT "sequence_touches_sequence_id_fkey" FOREIGN KEY ("sequence_id") REFERENCES "sequences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence_touches" ADD CONSTRAINT "sequence_touches_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_redemptions" ADD CONSTRAINT "offer_redemptions_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_sequence_id_fkey" FOREIGN KEY ("sequence_id") REFERENCES "sequences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "enrollments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_touch_id_fkey" FOREIGN KEY ("touch_id") REFERENCES "sequence_touches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_tasks" ADD CONSTRAINT "call_tasks_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_signals" ADD CONSTRAINT "health_signals_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "signal_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
