import { defineMessages } from '../i18n/index.js';

// Texts of the frame's own controls (the phone menu button, the desktop-only notice).
export const mFrame = defineMessages(
  {
    menu: '菜单',
    closeMenu: '收起菜单',
    desktopOnly: '系统管理仅支持电脑端',
    desktopOnlyHint: '请在电脑上（屏幕宽度 1024 像素以上）打开“管理”进行配置。',
  },
  {
    menu: 'Menu',
    closeMenu: 'Close menu',
    desktopOnly: 'Administration is for a desktop computer',
    desktopOnlyHint: 'Open Administration on a computer with a screen at least 1024 pixels wide.',
  },
);
