import { Empty } from '../../components/states.js';

export default function AdminPage() {
  return <Empty title="AdminPage" />;
}
