// The app's words for the customer usage report (the links to it); the
// report page's own text is in report/report-messages.ts, loaded with it.

export const reportEn = {
  'report.open': 'Open this customer\'s usage report',
  'report.nav': 'Customer report',
} as const;

export const reportZh: Record<keyof typeof reportEn, string> = {
  'report.open': '查看该客户的用电分析报告',
  'report.nav': '客户用电报告',
};
