import { Empty } from '../../components/states.js';

export default function LedgerPage() {
  return <Empty title="LedgerPage" />;
}
