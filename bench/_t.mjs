import autocannon from 'autocannon';
const opts={url:'https://127.0.0.1:18443',connections:16, tlsOptions:{rejectUnauthorized:false}};
let r=await autocannon({...opts,duration:10,requests:[{method:'GET',path:'/api/store/products?perPage=20'}]});
console.log('first', r.requests.average, r.latency.p50, r.latency.p99, r.non2xx);
