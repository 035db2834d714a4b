// Realistic (fictional) personal data: Chinese names, mobile numbers,
// addresses, company names and free-text comments that sometimes quote a name
// or a phone number. It exists so that the privacy rules (no personal data in
// any extract or in the browser) are tested against the real thing.

import { hash32 } from './random.ts';
import type { CustomerClass } from '../domain/tariffs.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文博子涵梓萱浩然雨涵欣怡宇轩一诺思远晓东海燕春梅玉兰德明宏伟婷婷佳怡俊杰家豪';
const STREETS = ['人民路', '解放路', '中山路', '建设路', '文化路', '滨湖大道', '和平街', '新华路', '青年路', '光明路', '工业大道', '长江路', '学府路', '东风路', '朝阳路', '迎宾大道'];
const ESTATES = ['阳光花园', '锦绣家园', '翠湖苑', '金色港湾', '幸福里', '枫林小区', '御景华庭', '书香名邸', '春江花月', '碧水湾', '和谐家园', '东方明珠苑'];
const VILLAGES = ['李家村', '王庄', '柳树湾', '石桥村', '上塘村', '下河村', '新民村', '青山村'];
const COMPANY_WORDS = ['华盛', '恒通', '鑫源', '永泰', '宏达', '金鼎', '天成', '瑞丰', '新能', '远航', '嘉禾', '泰和', '中兴', '博远', '汇丰', '东方'];
const COMMERCIAL_KINDS = ['商贸有限公司', '超市', '酒店', '餐饮店', '物业管理有限公司', '科技有限公司', '服装店', '药房', '宾馆', '便利店'];
const INDUSTRIAL_KINDS = ['机械制造有限公司', '纺织有限公司', '化工有限公司', '钢铁有限公司', '电子科技股份有限公司', '建材有限公司', '食品有限公司', '塑料制品有限公司'];
const FARM_KINDS = ['农业合作社', '家庭农场', '水产养殖场', '灌溉站', '果蔬种植基地'];
const MOBILE_PREFIXES = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '177', '180', '181', '186', '187', '188', '189', '199'];

function at(s: string | readonly string[], h: number): string {
  return s[h % s.length];
}

export function personName(seed: number, id: number): string {
  const h1 = hash32(seed, id, 901);
  const h2 = hash32(seed, id, 902);
  const given = at(GIVEN, h2) + ((h2 >>> 12) % 3 === 0 ? '' : at(GIVEN, h2 >>> 7));
  return at(SURNAMES, h1) + given;
}

export function mobileNumber(seed: number, id: number): string {
  const h = hash32(seed, id, 903);
  const tail = String(hash32(seed, id, 904) % 100_000_000).padStart(8, '0');
  return at(MOBILE_PREFIXES, h) + tail;
}

export function customerName(seed: number, id: number, cls: CustomerClass, district: string): string {
  const h = hash32(seed, id, 905);
  const place = district.slice(0, 2);
  switch (cls) {
    case 'residential': return personName(seed, id);
    case 'commercial': return place + at(COMPANY_WORDS, h) + at(COMMERCIAL_KINDS, h >>> 8);
    case 'large_industrial': return place + at(COMPANY_WORDS, h) + at(INDUSTRIAL_KINDS, h >>> 8);
    case 'agricultural': return place + at(COMPANY_WORDS, h) + at(FARM_KINDS, h >>> 8);
  }
}

export function address(seed: number, id: number, district: string, rural: boolean): string {
  const h = hash32(seed, id, 906);
  const no = 1 + (h % 388);
  if (rural) return `${district}${at(VILLAGES, h >>> 9)}${1 + ((h >>> 3) % 12)}组${no}号`;
  return `${district}${at(STREETS, h >>> 9)}${no}号${at(ESTATES, h >>> 13)}${1 + ((h >>> 5) % 30)}栋${1 + ((h >>> 17) % 4)}单元${100 * (1 + ((h >>> 20) % 28)) + 1 + ((h >>> 25) % 4)}室`;
}

// Survey comments: about a third quote the respondent's own contact details,
// as real free-text answers do.
const COMMENTS_GOOD = ['服务很好，师傅很专业', '抢修很及时，点赞', '营业厅办事效率高', '网上国网缴费很方便', '电压稳定，没什么问题'];
const COMMENTS_BAD = ['最近经常停电，希望尽快解决', '电费太贵了，阶梯电价不合理', '投诉了一周没人处理', '抄表数据不准，电费明显偏高', '停电也不提前通知'];
const COMMENTS_MID = ['希望多推送节能建议', '账单能不能再详细一点', '还可以', '希望峰谷电价说明更清楚', '希望增加微信办理业务'];

export function surveyComment(seed: number, id: number, overall: number, name: string, phone: string): string {
  const h = hash32(seed, id, 907);
  const pool = overall >= 4 ? COMMENTS_GOOD : overall <= 2 ? COMMENTS_BAD : COMMENTS_MID;
  const text = at(pool, h);
  switch ((h >>> 8) % 6) {
    case 0: return `${text}。我是${name}，电话${phone}`;
    case 1: return `${text}，请联系我 ${phone}`;
    default: return text;
  }
}

export const TICKET_CATEGORIES: Record<string, readonly string[]> = {
  inquiry: ['电费查询', '电价政策咨询', '停电信息查询', '用电业务咨询', '缴费方式咨询'],
  complaint: ['电费争议', '频繁停电', '服务态度', '抄表差错', '办电时限', '抢修时长'],
  outage: ['低压故障', '高压故障', '表计故障', '单户停电', '电压异常'],
  service_request: ['新装', '增容', '过户', '更名', '销户', '峰谷电价变更'],
  suggestion: ['服务建议', '渠道建议', '电网建设建议'],
  praise: ['抢修表扬', '服务表扬'],
};
