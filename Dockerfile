FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    NUMBA_CACHE_DIR=/tmp/numba-cache \
    CACHE_DIR=/tmp/gradient-descent-jobs \
    PORT=8050

WORKDIR /srv
RUN useradd --create-home --uid 10001 appuser

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY landscapes/ landscapes/
COPY optimizers/ optimizers/
COPY explore/ explore/
COPY app/ app/
COPY lessons/ lessons/
COPY gunicorn.conf.py .

USER appuser
EXPOSE 8050
CMD ["gunicorn", "--config", "gunicorn.conf.py", "app.server:server"]
