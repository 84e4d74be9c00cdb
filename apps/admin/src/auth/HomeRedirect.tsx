import { Navigate } from 'react-router';
import { homeFor } from './permissions';
import { useSession } from './session';

/** `/` opens where the person's work is: the portfolio for executives, the experiments for everyone else. */
export function HomeRedirect() {
  const { role } = useSession();
  return <Navigate to={homeFor(role)} replace />;
}
