import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// The API serves index.html with a fresh nonce in <meta property="csp-nonce"> and in its
// Content-Security-Policy (apps/api/src/http/security-headers.ts). Emotion writes MUI's styles into
// <style> elements; carrying the nonce lets style-src go without 'unsafe-inline' (CSP Level 3 nonce-source).
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
const styles = createCache({ key: 'css', nonce });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CacheProvider value={styles}>
      <App />
    </CacheProvider>
  </StrictMode>,
);
