import { Link } from 'wouter';
import { Empty } from '../components/states.js';
import { common } from '../i18n/common.js';
import { useT } from '../i18n/index.js';

export default function NotFound() {
  const t = useT(common);
  return (
    <Empty
      title={t('notFoundTitle')}
      hint={t('notFoundHint')}
      action={
        <Link href="/" className="btn">
          {t('backHome')}
        </Link>
      }
    />
  );
}
