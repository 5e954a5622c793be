// The --demo sample data: the origin article's customers and orders, plus a deterministic crowd of extra rows
// (a fixed-seed generator, so every fresh demo.db holds exactly the same data and answers are reproducible).
import type Database from 'better-sqlite3';

export const DEMO_SCHEMA = `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT UNIQUE,
  city TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  product_name TEXT NOT NULL,
  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
  amount DECIMAL(10,2) NOT NULL CHECK (amount >= 0),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
  order_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
);
CREATE INDEX idx_orders_customer_id ON orders (customer_id);
CREATE INDEX idx_orders_order_date ON orders (order_date);
`;

/** The article's three customers and four orders, kept first so their ids match the article. */
const ARTICLE_CUSTOMERS: [string, string, string][] = [
  ['Nguyễn Văn An', 'an@example.com', 'Hà Nội'],
  ['Trần Thị Bình', 'binh@example.com', 'TP. Hồ Chí Minh'],
  ['Lê Văn Cường', 'cuong@example.com', 'Đà Nẵng'],
];
const ARTICLE_ORDERS: [number, string, number][] = [
  [1, 'Laptop Dell XPS', 25_000_000],
  [1, 'Mouse Logitech', 500_000],
  [2, 'iPhone 15', 30_000_000],
  [3, 'Headphones Sony', 2_000_000],
];

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Quốc', 'Ngọc', 'Đức', 'Thanh', 'Gia', 'Hữu'];
const GIVEN = [
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Ngân',
  'Phong',
  'Phúc',
  'Quân',
  'Quỳnh',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vy',
  'Yến',
  'Khoa',
];
const CITIES = ['Hà Nội', 'TP. Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Huế', 'Nha Trang', 'Biên Hòa'];
/** Weighted so the two big cities dominate, as they would in real sales data. */
const CITY_WEIGHTS = [30, 34, 10, 7, 6, 5, 4, 4];

const PRODUCTS: [string, number][] = [
  ['Laptop Dell XPS', 25_000_000],
  ['Mouse Logitech', 500_000],
  ['iPhone 15', 30_000_000],
  ['Headphones Sony', 2_000_000],
  ['Samsung Galaxy S24', 22_000_000],
  ['MacBook Air M3', 28_000_000],
  ['iPad Air', 16_000_000],
  ['Apple Watch Series 9', 10_000_000],
  ['AirPods Pro', 6_000_000],
  ['Keyboard Keychron K2', 2_500_000],
  ['Monitor LG 27"', 7_500_000],
  ['Speaker JBL Flip 6', 2_800_000],
  ['SSD Samsung 1TB', 2_200_000],
  ['Router TP-Link', 1_200_000],
  ['Printer Canon', 3_500_000],
  ['Webcam Logitech', 1_800_000],
  ['Kindle Paperwhite', 3_900_000],
  ['Power bank Anker', 800_000],
];

export const DEMO_EXTRA_CUSTOMERS = 45;
export const DEMO_EXTRA_ORDERS = 316;
const SEED = 20_240_101;

/** mulberry32: tiny, fast, and the same sequence on every machine for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function pickWeighted<T>(rand: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rand() * total;
  for (let i = 0; i < items.length; i += 1) {
    r -= weights[i] ?? 0;
    if (r < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function timestamp(dayOffset: number, rand: () => number): string {
  const ms = START + dayOffset * DAY_MS + Math.floor(8 + rand() * 13) * 3_600_000 + Math.floor(rand() * 60) * 60_000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Later orders are still in flight; older ones are mostly delivered, with some cancellations and refunds. */
function statusFor(dayOffset: number, rand: () => number): string {
  const r = rand();
  if (dayOffset > 490) return r < 0.35 ? 'pending' : r < 0.65 ? 'paid' : r < 0.9 ? 'shipped' : 'cancelled';
  return r < 0.86 ? 'delivered' : r < 0.95 ? 'cancelled' : 'refunded';
}

/** Creates and fills the demo tables when the database has no tables; returns whether it did. */
export function seedDemoData(db: Database.Database): boolean {
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  if (tables > 0) return false;
  const rand = prng(SEED);
  db.transaction(() => {
    db.exec(DEMO_SCHEMA);
    const addCustomer = db.prepare('INSERT INTO customers (name, email, city, created_at) VALUES (?, ?, ?, ?)');
    ARTICLE_CUSTOMERS.forEach(([name, email, city], i) => addCustomer.run(name, email, city, timestamp(i * 2, rand)));
    for (let i = 0; i < DEMO_EXTRA_CUSTOMERS; i += 1) {
      const given = pick(rand, GIVEN);
      const family = pick(rand, FAMILY);
      const name = `${family} ${pick(rand, MIDDLE)} ${given}`;
      const id = ARTICLE_CUSTOMERS.length + i + 1;
      const email = `${asciiSlug(given)}.${asciiSlug(family)}${id}@example.com`;
      addCustomer.run(name, email, pickWeighted(rand, CITIES, CITY_WEIGHTS), timestamp(6 + i * 6, rand));
    }
    const customerCount = ARTICLE_CUSTOMERS.length + DEMO_EXTRA_CUSTOMERS;
    const addOrder = db.prepare(
      'INSERT INTO orders (customer_id, product_name, quantity, amount, status, order_date) VALUES (?, ?, ?, ?, ?, ?)',
    );
    ARTICLE_ORDERS.forEach(([customer, product, amount], i) =>
      addOrder.run(customer, product, 1, amount, 'delivered', timestamp(10 + i * 3, rand)),
    );
    // Dates ascend with the id, over 18 months; squaring the draw makes a few customers the big spenders.
    for (let i = 0; i < DEMO_EXTRA_ORDERS; i += 1) {
      const day = 25 + Math.floor((i * 520) / DEMO_EXTRA_ORDERS) + Math.floor(rand() * 2);
      const customer = 1 + Math.floor(rand() * rand() * customerCount);
      const [product, price] = pick(rand, PRODUCTS);
      const quantity = price < 3_000_000 && rand() < 0.3 ? 2 + Math.floor(rand() * 3) : 1;
      addOrder.run(customer, product, quantity, price * quantity, statusFor(day, rand), timestamp(day, rand));
    }
  })();
  return true;
}
