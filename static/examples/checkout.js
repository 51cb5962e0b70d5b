// The example checkout's only script: it uses nothing but the embed module's public API.
import init, { mount } from '../embed/id-precheck.js';

const status = document.getElementById('kyc-status');
const result = document.getElementById('result');
const element = document.getElementById('kyc');
const params = new URLSearchParams(location.search);
const locale = params.get('lang') === 'en' ? 'en' : 'zh-CN';

function show(state) {
  status.dataset.kycStatus = state.ready ? 'ready' : state.readiness;
  status.textContent = state.ready ? '✓ ready / 可以提交' : `${state.readiness}`;
}

try {
  await init();
  // The upload endpoint: the shop's own (here from ?upload=&protocol=, as the tests set it).
  const upload = params.get('upload');
  const config = { locale, passportVisa: 'off' };
  // Only a path on this site: a link must never be able to send identity data elsewhere.
  if (upload && upload.startsWith('/') && !upload.startsWith('//')) {
    config.upload = { url: upload, protocol: params.get('protocol') === 'multipart' ? 'multipart' : 'tus' };
  }
  const form = mount(element, config);
  element.addEventListener('precheck:uploaded', (e) => {
    result.dataset.result = 'uploaded';
    result.textContent = JSON.stringify(e.detail, null, 2);
  });
  element.addEventListener('precheck:change', (e) => show(e.detail));
  element.addEventListener('precheck:submit', (e) => {
    const { document: doc, fields, photos } = e.detail;
    const summary = {
      document: doc,
      fields,
      photos: photos.map((p) => ({ slot: p.slot, type: p.file.type, bytes: p.file.size, width: p.width, height: p.height, status: p.status })),
    };
    result.textContent = JSON.stringify(summary, null, 2);
    if (!upload) result.dataset.result = 'submitted';
  });
  show(form.getState() ?? { ready: false, readiness: 'fail' });
} catch (e) {
  status.dataset.kycStatus = 'error';
  status.textContent = `${e.code ?? 'error'}: ${e.message}`;
}
