import { Empty } from '../../components/states.js';

export default function CasePage() {
  return <Empty title="CasePage" />;
}
