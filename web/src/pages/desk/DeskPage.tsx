import { Empty } from '../../components/states.js';

export default function DeskPage() {
  return <Empty title="DeskPage" />;
}
