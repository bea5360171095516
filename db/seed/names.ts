// Sample vocabulary for demo data: realistic enough to read, small enough to ship.
export const regions = [
  { region: 'north', depots: ['Leeds Hub', 'York Depot'] },
  { region: 'south', depots: ['Brighton Depot', 'Southampton Hub'] },
  { region: 'east', depots: ['Norwich Depot', 'Cambridge Hub'] },
  { region: 'west', depots: ['Bristol Hub', 'Exeter Depot'] },
  { region: 'midlands', depots: ['Birmingham Hub', 'Leicester Depot'] },
  { region: 'scotland', depots: ['Glasgow Hub', 'Edinburgh Depot'] },
] as const;

export const firstNames = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Ken', 'Radia', 'Dennis', 'Frances', 'Edsger', 'Hedy', 'Niklaus', 'Karen', 'Donald', 'Sophie', 'John', 'Katherine', 'Guido'];
export const lastNames = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Thompson', 'Perlman', 'Ritchie', 'Allen', 'Dijkstra', 'Lamarr', 'Wirth', 'Spärck Jones', 'Knuth', 'Wilson', 'McCarthy', 'Johnson', 'van Rossum'];
export const streets = ['Mill Street', 'High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue', 'Queen Street', 'Kings Road', 'Green Lane', 'Manor Way'];
export const cityOf: Record<string, readonly string[]> = {
  north: ['Leeds', 'York', 'Harrogate'],
  south: ['Brighton', 'Southampton', 'Portsmouth'],
  east: ['Norwich', 'Cambridge', 'Ipswich'],
  west: ['Bristol', 'Exeter', 'Bath'],
  midlands: ['Birmingham', 'Leicester', 'Coventry'],
  scotland: ['Glasgow', 'Edinburgh', 'Stirling'],
};
export const descriptions = ['Books', 'Kitchen scales', 'Laptop charger', 'Winter coat', 'Board game', 'Coffee beans', 'Bike lights', 'Desk lamp', 'Running shoes', 'Plant pot', 'Headphones', 'Printer ink'];
export const failureReasons = ['Recipient not home', 'Access code missing', 'Business closed', 'Address not found', 'Refused by recipient'];
export const damageNotes = ['Box crushed at one corner', 'Wet packaging', 'Torn label, contents fine'];
export const weather = ['clear', 'clear', 'clear', 'rain', 'rain', 'snow', 'storm', 'heat'] as const;
