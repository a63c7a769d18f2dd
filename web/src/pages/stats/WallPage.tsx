import { Empty } from '../../components/states.js';

export default function WallPage() {
  return <Empty title="WallPage" />;
}
