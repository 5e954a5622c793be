// `serve crm --demo`: the origin article's two contacts (and its AI Consulting opportunity), plus enough
// companies, people, deals and notes to make searching and filtering worth trying. Fixed data, fixed dates.
import type Database from 'better-sqlite3';
import type { ContactStatus, Stage } from './database.js';

type Company = [name: string, industry: string, website: string];
type Contact = [
  name: string,
  email: string,
  phone: string | null,
  position: string,
  company: string,
  status: ContactStatus,
  created: string,
  last: string | null,
];
type Opportunity = [email: string, title: string, value: number, stage: Stage, probability: number, created: string];
type Note = [email: string, body: string, created: string];

const COMPANIES: Company[] = [
  ['Tech Solutions', 'Software', 'https://techsolutions.example.com'],
  ['Innovation Hub', 'Startup incubator', 'https://innovationhub.example.vn'],
  ['Saigon Logistics', 'Logistics', 'https://saigonlogistics.example.vn'],
  ['Hanoi Retail Group', 'Retail', 'https://hanoiretail.example.vn'],
  ['Mekong Fintech', 'Financial services', 'https://mekongfintech.example.vn'],
  ['Da Nang Travel', 'Travel', 'https://danangtravel.example.vn'],
  ['Green Energy VN', 'Energy', 'https://greenenergy.example.vn'],
  ['Acme Analytics', 'Data & analytics', 'https://acme-analytics.example.com'],
];

const CONTACTS: Contact[] = [
  ['Nguyễn Văn Anh', 'anh@company.com', '+84901234567', 'CTO', 'Tech Solutions', 'active', '2024-12-01', '2025-01-20'],
  ['Trần Thị Bình', 'binh@startup.vn', '+84912345678', 'Founder', 'Innovation Hub', 'prospect', '2024-12-10', '2025-01-18'],
  [
    'Lê Minh Anh',
    'minhanh@saigonlogistics.vn',
    '+84283456789',
    'Operations Director',
    'Saigon Logistics',
    'active',
    '2024-10-03',
    '2025-01-15',
  ],
  [
    'Phạm Quốc Cường',
    'cuong.pham@hanoiretail.vn',
    '+84243567890',
    'Head of E-commerce',
    'Hanoi Retail Group',
    'prospect',
    '2024-11-20',
    '2025-01-10',
  ],
  ['Hoàng Thu Hà', 'ha.hoang@mekongfintech.vn', '+84909876543', 'CEO', 'Mekong Fintech', 'active', '2024-09-15', '2025-01-22'],
  ['Đỗ Đức Huy', 'huy.do@danangtravel.vn', '+84236345678', 'Marketing Manager', 'Da Nang Travel', 'lead', '2025-01-05', null],
  ['Vũ Thị Lan', 'lan.vu@greenenergy.vn', '+84987654321', 'Procurement Lead', 'Green Energy VN', 'lead', '2025-01-12', '2025-01-12'],
  [
    'Bùi Thanh Tâm',
    'tam.bui@techsolutions.vn',
    '+84903456789',
    'Engineering Manager',
    'Tech Solutions',
    'active',
    '2024-12-01',
    '2025-01-19',
  ],
  ['Ngô Bảo Ngọc', 'ngoc.ngo@innovationhub.vn', null, 'Program Manager', 'Innovation Hub', 'prospect', '2024-12-10', '2025-01-08'],
  ['Đặng Văn Long', 'long.dang@saigonlogistics.vn', '+84283456700', 'CFO', 'Saigon Logistics', 'inactive', '2024-06-21', '2024-09-30'],
  ['Emily Carter', 'emily.carter@acme-analytics.com', '+14155550123', 'VP Sales', 'Acme Analytics', 'active', '2024-08-02', '2025-01-21'],
  [
    'David Nguyen',
    'david.nguyen@acme-analytics.com',
    '+14155550188',
    'Data Scientist',
    'Acme Analytics',
    'prospect',
    '2024-11-11',
    '2025-01-14',
  ],
  ['Trịnh Hoài Nam', 'nam.trinh@mekongfintech.vn', '+84909876000', 'Head of Risk', 'Mekong Fintech', 'lead', '2025-01-16', null],
  ['Phan Mỹ Linh', 'linh.phan@hanoiretail.vn', '+84243567000', 'IT Director', 'Hanoi Retail Group', 'active', '2024-07-07', '2025-01-17'],
  ['Võ Hoàng Anh', 'hoanganh.vo@greenenergy.vn', null, 'Sustainability Analyst', 'Green Energy VN', 'prospect', '2024-12-28', '2025-01-06'],
  ['Lý Gia Bảo', 'bao.ly@danangtravel.vn', '+84236345000', 'Owner', 'Da Nang Travel', 'inactive', '2024-03-14', '2024-08-01'],
  ['Mai Anh Thư', 'thu.mai@freelance.vn', '+84938111222', 'Independent consultant', '', 'lead', '2025-01-19', '2025-01-19'],
  ['Sarah Kim', 'sarah.kim@techsolutions.vn', '+84903456000', 'Product Owner', 'Tech Solutions', 'prospect', '2025-01-02', '2025-01-16'],
];

const OPPORTUNITIES: Opportunity[] = [
  ['anh@company.com', 'AI Consulting Project', 50_000, 'proposal', 75, '2025-01-10T09:00:00.000Z'],
  ['binh@startup.vn', 'Startup accelerator analytics package', 12_000, 'prospecting', 10, '2025-01-18T10:30:00.000Z'],
  ['minhanh@saigonlogistics.vn', 'Route optimisation pilot', 85_000, 'negotiation', 75, '2024-12-02T03:15:00.000Z'],
  ['cuong.pham@hanoiretail.vn', 'E-commerce recommendation engine', 120_000, 'qualification', 25, '2025-01-10T07:45:00.000Z'],
  ['ha.hoang@mekongfintech.vn', 'Fraud detection platform', 240_000, 'proposal', 60, '2024-11-28T08:00:00.000Z'],
  ['ha.hoang@mekongfintech.vn', 'Chatbot for customer support', 45_000, 'closed_won', 100, '2024-10-01T02:00:00.000Z'],
  ['long.dang@saigonlogistics.vn', 'Warehouse BI dashboards', 30_000, 'closed_lost', 0, '2024-07-15T04:00:00.000Z'],
  ['emily.carter@acme-analytics.com', 'Reseller partnership', 150_000, 'negotiation', 80, '2025-01-21T16:00:00.000Z'],
  ['linh.phan@hanoiretail.vn', 'Data warehouse migration', 95_000, 'closed_won', 100, '2024-09-09T09:09:00.000Z'],
  ['tam.bui@techsolutions.vn', 'MLOps training workshop', 8_000, 'qualification', 30, '2025-01-19T11:00:00.000Z'],
];

const NOTES: Note[] = [
  ['anh@company.com', 'Quan tâm đến AI solutions. Scheduled demo for next week.', '2025-01-20T08:00:00.000Z'],
  ['binh@startup.vn', 'Met at the Innovation Hub demo day; wants pricing for early-stage startups.', '2025-01-18T10:00:00.000Z'],
  ['minhanh@saigonlogistics.vn', 'Pilot covers the Ho Chi Minh City to Can Tho routes first.', '2025-01-15T06:30:00.000Z'],
  ['ha.hoang@mekongfintech.vn', 'Board approval expected by end of Q1.', '2025-01-22T09:45:00.000Z'],
  ['long.dang@saigonlogistics.vn', 'Left the company in September 2024; keep for history.', '2024-09-30T05:00:00.000Z'],
  ['emily.carter@acme-analytics.com', 'Prefers email over calls. Time zone: US Pacific.', '2025-01-21T17:00:00.000Z'],
];

/** Seeds the demo data if the CRM has no contacts yet; returns whether it did. */
export function seedDemoData(db: Database.Database): boolean {
  const { n } = db.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
  if (n > 0) return false;
  db.transaction(() => {
    const companyId = new Map<string, number | bigint>();
    const addCompany = db.prepare('INSERT INTO companies (name, industry, website) VALUES (?, ?, ?)');
    for (const [name, industry, website] of COMPANIES) {
      companyId.set(name, addCompany.run(name, industry, website).lastInsertRowid);
    }
    const contactId = new Map<string, number | bigint>();
    const addContact = db.prepare(
      `INSERT INTO contacts (name, email, phone, position, company_id, status, created_date, last_contact)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [name, email, phone, position, company, status, created, last] of CONTACTS) {
      const id = addContact.run(name, email, phone, position, companyId.get(company) ?? null, status, created, last).lastInsertRowid;
      contactId.set(email, id);
    }
    const addOpportunity = db.prepare(
      'INSERT INTO opportunities (contact_id, title, value, stage, probability, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const [email, title, value, stage, probability, created] of OPPORTUNITIES) {
      addOpportunity.run(contactId.get(email), title, value, stage, probability, created);
    }
    const addNote = db.prepare("INSERT INTO notes (contact_id, body, author, created_at) VALUES (?, ?, 'demo', ?)");
    for (const [email, body, created] of NOTES) addNote.run(contactId.get(email), body, created);
  })();
  return true;
}
