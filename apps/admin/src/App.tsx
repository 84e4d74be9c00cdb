import { lazy, type ComponentType } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { RequireAuth, RequireCapability, SessionProvider } from './auth/session';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { ExperimentsPage } from './pages/ExperimentsPage';
import { CustomersPage } from './pages/CustomersPage';
import { CustomerDetailPage } from './pages/CustomerDetailPage';
import { ImportsPage } from './pages/ImportsPage';
import { SettingsPage } from './pages/SettingsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { createQueryClient } from './lib/query-client';
import { HomeRedirect } from './auth/HomeRedirect';

// The calculator (statistics) and the charts are the heavy parts; they load with the pages that use them.
const ExperimentFormPage = lazy(() =>
  import('./pages/ExperimentFormPage').then((m) => ({ default: m.ExperimentFormPage })),
);
const ExperimentDetailPage = lazy(() =>
  import('./pages/ExperimentDetailPage').then((m) => ({ default: m.ExperimentDetailPage })),
);

const lazyPage = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

// Results, money and reports pages carry the charts; each loads on first visit.
const ExperimentResultsPage = lazyPage(
  () => import('./pages/ExperimentResultsPage'),
  'ExperimentResultsPage',
);
const CampaignsPage = lazyPage(() => import('./pages/CampaignsPage'), 'CampaignsPage');
const CampaignDetailPage = lazyPage(() => import('./pages/CampaignDetailPage'), 'CampaignDetailPage');
const CampaignFormPage = lazyPage(() => import('./pages/CampaignFormPage'), 'CampaignFormPage');
const CampaignPlanPage = lazyPage(() => import('./pages/CampaignPlanPage'), 'CampaignPlanPage');
const PortfolioPage = lazyPage(() => import('./pages/PortfolioPage'), 'PortfolioPage');
const CohortsPage = lazyPage(() => import('./pages/CohortsPage'), 'CohortsPage');
const LtvCacPage = lazyPage(() => import('./pages/LtvCacPage'), 'LtvCacPage');
const AttributionPage = lazyPage(() => import('./pages/AttributionPage'), 'AttributionPage');
const SegmentFinderPage = lazyPage(() => import('./pages/SegmentFinderPage'), 'SegmentFinderPage');
const SequencesPage = lazyPage(() => import('./pages/SequencesPage'), 'SequencesPage');
const SequenceBuilderPage = lazyPage(() => import('./pages/SequenceBuilderPage'), 'SequenceBuilderPage');
const SequenceDetailPage = lazyPage(() => import('./pages/SequenceDetailPage'), 'SequenceDetailPage');
const SequenceResultsPage = lazyPage(() => import('./pages/SequenceResultsPage'), 'SequenceResultsPage');
const OutboxPage = lazyPage(() => import('./pages/OutboxPage'), 'OutboxPage');
const OutboxMessagePage = lazyPage(() => import('./pages/OutboxPage'), 'OutboxMessagePage');
const TasksPage = lazyPage(() => import('./pages/TasksPage'), 'TasksPage');
const SignalsPage = lazyPage(() => import('./pages/SignalsPage'), 'SignalsPage');
const CustomerValuePage = lazyPage(() => import('./pages/CustomerValuePage'), 'CustomerValuePage');

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'experiments', element: <ExperimentsPage /> },
      {
        path: 'experiments/new',
        element: (
          <RequireCapability capability="experiments.write">
            <ExperimentFormPage />
          </RequireCapability>
        ),
      },
      { path: 'experiments/:id', element: <ExperimentDetailPage /> },
      {
        path: 'experiments/:id/results',
        element: (
          <RequireCapability capability="results.read">
            <ExperimentResultsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'campaigns',
        element: (
          <RequireCapability capability="campaigns.read">
            <CampaignsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'campaigns/new',
        element: (
          <RequireCapability capability="campaigns.write">
            <CampaignFormPage />
          </RequireCapability>
        ),
      },
      {
        path: 'campaigns/plan',
        element: (
          <RequireCapability capability="campaigns.read">
            <CampaignPlanPage />
          </RequireCapability>
        ),
      },
      {
        path: 'campaigns/:id',
        element: (
          <RequireCapability capability="campaigns.read">
            <CampaignDetailPage />
          </RequireCapability>
        ),
      },
      {
        path: 'campaigns/:id/edit',
        element: (
          <RequireCapability capability="campaigns.write">
            <CampaignFormPage />
          </RequireCapability>
        ),
      },
      {
        path: 'reports/portfolio',
        element: (
          <RequireCapability capability="reports.read">
            <PortfolioPage />
          </RequireCapability>
        ),
      },
      {
        path: 'experiments/:id/edit',
        element: (
          <RequireCapability capability="experiments.write">
            <ExperimentFormPage />
          </RequireCapability>
        ),
      },
      {
        path: 'customers',
        element: (
          <RequireCapability capability="customers.read">
            <CustomersPage />
          </RequireCapability>
        ),
      },
      {
        path: 'customers/:externalId',
        element: (
          <RequireCapability capability="customers.read">
            <CustomerDetailPage />
          </RequireCapability>
        ),
      },
      {
        path: 'imports',
        element: (
          <RequireCapability capability="imports.write">
            <ImportsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'sequences',
        element: (
          <RequireCapability capability="sequences.read">
            <SequencesPage />
          </RequireCapability>
        ),
      },
      {
        path: 'sequences/new',
        element: (
          <RequireCapability capability="sequences.write">
            <SequenceBuilderPage />
          </RequireCapability>
        ),
      },
      {
        path: 'sequences/:id',
        element: (
          <RequireCapability capability="sequences.read">
            <SequenceDetailPage />
          </RequireCapability>
        ),
      },
      {
        path: 'sequences/:id/edit',
        element: (
          <RequireCapability capability="sequences.write">
            <SequenceBuilderPage />
          </RequireCapability>
        ),
      },
      {
        path: 'sequences/:id/results',
        element: (
          <RequireCapability capability="sequences.read">
            <SequenceResultsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'outbox',
        element: (
          <RequireCapability capability="messages.read">
            <OutboxPage />
          </RequireCapability>
        ),
      },
      {
        path: 'outbox/:id',
        element: (
          <RequireCapability capability="messages.read">
            <OutboxMessagePage />
          </RequireCapability>
        ),
      },
      {
        path: 'tasks',
        element: (
          <RequireCapability capability="tasks.work">
            <TasksPage />
          </RequireCapability>
        ),
      },
      {
        path: 'signals',
        element: (
          <RequireCapability capability="signals.read">
            <SignalsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'settings',
        element: (
          <RequireCapability capability="settings.manage">
            <SettingsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'value/clv',
        element: (
          <RequireCapability capability="experiments.read">
            <CustomerValuePage />
          </RequireCapability>
        ),
      },
      {
        path: 'value/cohorts',
        element: (
          <RequireCapability capability="results.read">
            <CohortsPage />
          </RequireCapability>
        ),
      },
      {
        path: 'value/ltv-cac',
        element: (
          <RequireCapability capability="results.read">
            <LtvCacPage />
          </RequireCapability>
        ),
      },
      {
        path: 'value/attribution',
        element: (
          <RequireCapability capability="results.read">
            <AttributionPage />
          </RequireCapability>
        ),
      },
      {
        path: 'value/segments',
        element: (
          <RequireCapability capability="results.read">
            <SegmentFinderPage />
          </RequireCapability>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

const queryClient = createQueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  );
}
