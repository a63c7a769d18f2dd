import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/states.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { useSession } from '../../lib/session.js';

const m = defineMessages(
  {
    title: '舆情回应台',
    subtitle: '政务舆情监测与回应处置系统',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    required: '请输入用户名和密码。',
    hint: '忘记密码请联系系统管理员重置。',
    switchLang: 'English',
  },
  {
    title: 'Opinion Desk',
    subtitle: 'Public-opinion monitoring and response for government offices',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    required: 'Enter your username and password.',
    hint: 'Forgot your password? Ask the system administrator to reset it.',
    switchLang: '中文',
  },
);

export default function LoginPage({ expired }: { expired?: string | null }) {
  const t = useT(m);
  const { lang, setLang } = useLang();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={onSubmit} noValidate>
        <div className="login-brand">
          <span className="brand-mark big" aria-hidden="true">
            舆
          </span>
          <div>
            <h1>{t('title')}</h1>
            <p className="muted">{t('subtitle')}</p>
          </div>
        </div>
        {expired ? <p className="notice">{expired}</p> : null}
        <label className="field">
          <span>{t('username')}</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label className="field">
          <span>{t('password')}</span>
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {missing ? (
          <p className="form-error" role="alert">
            {t('required')}
          </p>
        ) : null}
        <FormError error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('submitting') : t('submit')}
        </button>
        <p className="muted small">{t('hint')}</p>
        <button type="button" className="btn-link small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('switchLang')}
        </button>
      </form>
    </div>
  );
}
