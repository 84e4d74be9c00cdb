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
        path: 'settings',
        element: (
          <RequireCapability capability="settings.manage">
            <SettingsPage />
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
