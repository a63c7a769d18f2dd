import { Empty } from '../../components/states.js';

export default function StatsPage() {
  return <Empty title="StatsPage" />;
}
