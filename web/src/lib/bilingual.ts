// Messages the server stored as "中文 / English" are shown in the reader's language only.
export { inLanguage } from '../../../core/bilingual.js';
