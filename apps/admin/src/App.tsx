import { lazy } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
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

// The calculator (statistics) and the charts are the heavy parts; they load with the pages that use them.
const ExperimentFormPage = lazy(() =>
  import('./pages/ExperimentFormPage').then((m) => ({ default: m.ExperimentFormPage })),
);
const ExperimentDetailPage = lazy(() =>
  import('./pages/ExperimentDetailPage').then((m) => ({ default: m.ExperimentDetailPage })),
);

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
      { index: true, element: <Navigate to="/experiments" replace /> },
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
