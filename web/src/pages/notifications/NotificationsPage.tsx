import { Empty } from '../../components/states.js';

export default function NotificationsPage() {
  return <Empty title="NotificationsPage" />;
}
